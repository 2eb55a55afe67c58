"""Scoring: totals, severity bands at every edge, risk flags independent of the total."""
import copy
import json

import pytest

from forms import InstrumentError, ScoreError, instrument, instrument_ids, score
from forms.library import INSTRUMENTS
from forms.scoring import parse_instrument


def answers_for(instrument_id, raw, spare=()):
    """Answers summing to `raw`, filling the items in `spare` (risk items) last."""
    inst = instrument(instrument_id)
    keys = [k for k in inst.items if k not in spare] + [k for k in inst.items if k in spare]
    out, left = {}, raw - inst.item_min * len(keys)
    for key in keys:
        out[key] = inst.item_min + min(left, inst.item_max - inst.item_min)
        left -= out[key] - inst.item_min
    assert left == 0, f"{raw} is out of range for {instrument_id}"
    return out


def risk_items(instrument_id):
    return {r.item for r in instrument(instrument_id).risk_rules}


def edge_cases():
    """For every band of every instrument: the lowest and highest raw sums that land in it."""
    for iid in instrument_ids():
        inst = instrument(iid)
        n = len(inst.items)
        by_band = {}
        for raw in range(inst.item_min * n, inst.item_max * n + 1):
            by_band.setdefault(inst.band_for(raw * inst.multiplier).id, []).append(raw)
        for band, raws in by_band.items():
            yield pytest.param(iid, raws[0], band, id=f"{iid}-{raws[0]}")
            yield pytest.param(iid, raws[-1], band, id=f"{iid}-{raws[-1]}")


@pytest.mark.parametrize(("instrument_id", "raw", "band"), list(edge_cases()))
def test_both_sides_of_every_band_edge_from_the_data(instrument_id, raw, band):
    result = score(instrument_id, answers_for(instrument_id, raw, risk_items(instrument_id)))
    assert (result.raw, result.band.id) == (raw, band)


# Typed in by hand from DOMAIN.md section 5: (instrument, raw sum, expected band).
PUBLISHED_EDGES = [
    ("phq9", 0, "minimal"), ("phq9", 4, "minimal"), ("phq9", 5, "mild"), ("phq9", 9, "mild"),
    ("phq9", 10, "moderate"), ("phq9", 14, "moderate"), ("phq9", 15, "moderately_severe"),
    ("phq9", 19, "moderately_severe"), ("phq9", 20, "severe"), ("phq9", 27, "severe"),
    ("gad7", 0, "minimal"), ("gad7", 4, "minimal"), ("gad7", 5, "mild"), ("gad7", 9, "mild"),
    ("gad7", 10, "moderate"), ("gad7", 14, "moderate"), ("gad7", 15, "severe"), ("gad7", 21, "severe"),
    ("madrs_s", 0, "minimal"), ("madrs_s", 12, "minimal"), ("madrs_s", 13, "mild"), ("madrs_s", 19, "mild"),
    ("madrs_s", 20, "moderate"), ("madrs_s", 34, "moderate"), ("madrs_s", 35, "severe"),
    ("madrs_s", 54, "severe"),
    # WHO-5: raw < 13 (< 52 %) is poor well-being; raw <= 7 (<= 28 %) likely depression.
    ("who5", 0, "likely_depression"), ("who5", 7, "likely_depression"), ("who5", 8, "poor_wellbeing"),
    ("who5", 12, "poor_wellbeing"), ("who5", 13, "adequate"), ("who5", 25, "adequate"),
]


@pytest.mark.parametrize(("instrument_id", "raw", "band"), PUBLISHED_EDGES)
def test_published_cut_offs(instrument_id, raw, band):
    assert score(instrument_id, answers_for(instrument_id, raw, risk_items(instrument_id))).band.id == band


@pytest.mark.parametrize(("raw", "percent"), [(0, 0), (7, 28), (12, 48), (13, 52), (25, 100)])
def test_who5_total_is_raw_sum_times_four(raw, percent):
    result = score("who5", answers_for("who5", raw))
    assert (result.raw, result.total) == (raw, percent)
    assert score("who5", {f"who5_{i}": 5 for i in range(1, 6)}).total == 100


def test_other_instruments_total_is_the_raw_sum():
    result = score("phq9", answers_for("phq9", 17, {"phq9_9"}))
    assert result.raw == result.total == 17


# Risk rules typed in by hand: (instrument, item, answer, expected priority or None).
RISK_CASES = [
    ("phq9", "phq9_9", 0, None), ("phq9", "phq9_9", 1, "high"), ("phq9", "phq9_9", 3, "high"),
    ("madrs_s", "madrs_s_9", 1, None), ("madrs_s", "madrs_s_9", 2, "attention"),
    ("madrs_s", "madrs_s_9", 3, "attention"), ("madrs_s", "madrs_s_9", 4, "high"),
    ("madrs_s", "madrs_s_9", 6, "high"),
]


@pytest.mark.parametrize(("instrument_id", "item", "value", "priority"), RISK_CASES)
@pytest.mark.parametrize("others", ["lowest", "highest"])
def test_risk_item_flags_whatever_the_total(instrument_id, item, value, priority, others):
    inst = instrument(instrument_id)
    fill = inst.item_min if others == "lowest" else inst.item_max
    result = score(instrument_id, {k: fill for k in inst.items} | {item: value})
    assert [f.priority for f in result.flags] == ([priority] if priority else [])
    assert result.priority == priority
    if priority:
        assert result.flags[0].as_dict() == {
            "id": "suicidal_thoughts", "priority": priority, "item": item, "value": value,
            "label": inst.risk_rules[0].label.as_dict()}


def edge_rule_cases():
    """Every level of every risk rule in the data: at its threshold and one below."""
    for iid in instrument_ids():
        for rule in instrument(iid).risk_rules:
            for lo, priority in rule.levels:
                below = next((p for m, p in rule.levels if lo - 1 >= m), None)
                yield pytest.param(iid, rule.item, lo, priority, id=f"{iid}-{rule.id}-{lo}")
                yield pytest.param(iid, rule.item, lo - 1, below, id=f"{iid}-{rule.id}-{lo - 1}")


@pytest.mark.parametrize(("instrument_id", "item", "value", "priority"), list(edge_rule_cases()))
def test_every_risk_threshold_from_the_data(instrument_id, item, value, priority):
    inst = instrument(instrument_id)
    result = score(instrument_id, {k: inst.item_min for k in inst.items} | {item: value})
    assert result.priority == priority


def test_phq9_minimal_total_with_item_9_still_flags():
    result = score("phq9", {f"phq9_{i}": 0 for i in range(1, 9)} | {"phq9_9": 1})
    assert (result.total, result.band.id, result.priority) == (1, "minimal", "high")


def test_phq9_highest_total_without_item_9_has_no_flag():
    result = score("phq9", {f"phq9_{i}": 3 for i in range(1, 9)} | {"phq9_9": 0})
    assert (result.total, result.band.id, result.flags) == (24, "severe", ())


def test_instruments_without_risk_items_never_flag():
    for iid in ("gad7", "who5"):
        inst = instrument(iid)
        assert score(iid, {k: inst.item_max for k in inst.items}).flags == ()


def test_result_is_plain_json_data():
    result = score("madrs_s", answers_for("madrs_s", 20, {"madrs_s_9"}) | {"madrs_s_9": 2})
    data = result.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["band"] == {"id": "moderate", "min": 20, "max": 34,
                            "label": {"sv": "Måttlig depression", "en": "Moderate depression"}}
    assert data["priority"] == "attention" and data["instrument"] == "madrs_s" and data["version"]
    assert result.band.label.get("en") == "Moderate depression" and result.band.label.get("sv-SE").startswith("Måttlig")


def test_extra_task_data_is_ignored():
    result = score("gad7", answers_for("gad7", 6) | {"note": "x", "phq9_9": 3})
    assert result.total == 6 and result.flags == ()


def test_missing_answers_are_refused_naming_the_items():
    answers = answers_for("phq9", 3)
    del answers["phq9_4"]
    answers["phq9_9"] = None
    with pytest.raises(ScoreError) as info:
        score("phq9", answers)
    assert info.value.missing == ["phq9_4", "phq9_9"]
    assert "phq9_4" in str(info.value) and "phq9_9" in str(info.value)


@pytest.mark.parametrize(("instrument_id", "value"), [
    ("phq9", 4), ("phq9", -1), ("gad7", 4), ("madrs_s", 7), ("who5", 6), ("who5", -1),
    ("phq9", 2.0), ("phq9", "2"), ("phq9", True),
])
def test_values_outside_the_item_range_are_refused(instrument_id, value):
    inst = instrument(instrument_id)
    answers = {k: inst.item_min for k in inst.items} | {inst.items[1]: value}
    with pytest.raises(ScoreError) as info:
        score(instrument_id, answers)
    assert info.value.invalid == {inst.items[1]: value} and info.value.missing == []
    assert inst.items[1] in str(info.value)


def test_answers_must_be_a_mapping():
    with pytest.raises(ScoreError):
        score("phq9", [0] * 9)


@pytest.mark.parametrize("bad_id", ["phq10", "../phq9", "", None, "README"])
def test_unknown_instrument_is_refused(bad_id):
    with pytest.raises(InstrumentError, match="unknown instrument"):
        score(bad_id, {})


# --- the checks that keep a wrong data edit from ever scoring ---------------------------

def phq9_data():
    return copy.deepcopy(json.loads((INSTRUMENTS / "phq9.json").read_text(encoding="utf-8")))


def problems(data):
    with pytest.raises(InstrumentError) as info:
        parse_instrument(data, "phq9.json")
    return str(info.value)


def test_the_shipped_data_parses():
    assert parse_instrument(phq9_data(), "phq9.json") == instrument("phq9")


def test_a_gap_between_bands_is_refused():
    data = phq9_data()
    data["bands"][1]["min"] = 6
    assert "gap between bands 'minimal' and 'mild': no band covers 5" in problems(data)


def test_overlapping_bands_are_refused():
    data = phq9_data()
    data["bands"][0]["max"] = 6
    assert "bands 'minimal' and 'mild' overlap on 5–6" in problems(data)


def test_bands_must_cover_the_whole_score_range():
    data = phq9_data()
    data["bands"][-1]["max"] = 26
    data["bands"][0]["min"] = 1
    message = problems(data)
    assert "end at the highest score 27, not 26" in message and "start at the lowest score 0, not 1" in message


def test_a_band_needs_both_labels_and_whole_number_edges():
    data = phq9_data()
    del data["bands"][2]["label"]["en"]
    data["bands"][3]["min"] = 15.5
    message = problems(data)
    assert "'bands[2].label' needs non-empty 'sv' and 'en' texts" in message
    assert "'bands[3].min' must be a whole number" in message


def test_a_declared_score_range_must_match_the_items():
    data = phq9_data()
    data["score_range"] = [0, 30]
    assert "'score_range' says [0, 30], but the items give 0–27" in problems(data)


@pytest.mark.parametrize(("change", "expected"), [
    ({"item": "phq9_10"}, "item 'phq9_10' is not one of the instrument's items"),
    ({"levels": [{"min": 0, "priority": "high"}]}, "threshold 0 must be above 0"),
    ({"levels": [{"min": 4, "priority": "high"}]}, "threshold 4 must be above 0 and at most 3"),
    ({"levels": [{"min": 1, "priority": "urgent"}]}, "priority must be one of high, attention"),
    ({"levels": []}, "needs levels with distinct thresholds"),
    ({"levels": [{"min": 2, "priority": "attention"}, {"min": 1, "priority": "high"}]},
     "a higher threshold must not have a lower priority"),
])
def test_broken_risk_rules_are_refused(change, expected):
    data = phq9_data()
    data["risk_rules"][0].update(change)
    assert expected in problems(data)


def test_broken_scoring_is_refused():
    data = phq9_data()
    data["scoring"] = {"method": "mean", "multiplier": 0}
    data["item_max"] = 0
    message = problems(data)
    assert "'scoring.method' must be 'sum'" in message and "'scoring.multiplier' must be 1 or more" in message
    assert "'item_min' must be less than 'item_max'" in message


def test_a_non_object_document_is_refused():
    assert "must be a JSON object" in problems([])
