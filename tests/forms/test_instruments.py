"""The instrument library: each questionnaire's form and its scoring data agree and load."""
import json

import pytest
from marshmallow import ValidationError

import forms
from forms import build_schema, builtin_form, builtin_form_names, instrument, instrument_ids, load_form, render_form
from forms.library import INSTRUMENTS

IDS = ["gad7", "madrs_s", "phq9", "who5"]

# Published cut-offs, typed in by hand from DOMAIN.md section 5 so that an edit to a JSON
# file that moves a band edge fails here. WHO-5 totals are percentages (raw x 4).
PUBLISHED_BANDS = {
    "phq9": [("minimal", 0, 4), ("mild", 5, 9), ("moderate", 10, 14), ("moderately_severe", 15, 19),
             ("severe", 20, 27)],
    "gad7": [("minimal", 0, 4), ("mild", 5, 9), ("moderate", 10, 14), ("severe", 15, 21)],
    "madrs_s": [("minimal", 0, 12), ("mild", 13, 19), ("moderate", 20, 34), ("severe", 35, 54)],
    "who5": [("likely_depression", 0, 28), ("poor_wellbeing", 29, 50), ("adequate", 51, 100)],
}
PUBLISHED_RISK_RULES = {
    "phq9": [("suicidal_thoughts", "phq9_9", ((1, "high"),))],
    "gad7": [],
    "madrs_s": [("suicidal_thoughts", "madrs_s_9", ((4, "high"), (2, "attention")))],
    "who5": [],
}
SHAPE = {  # item count, answer range, recall days
    "phq9": (9, 0, 3, 14), "gad7": (7, 0, 3, 14), "madrs_s": (9, 0, 6, 3), "who5": (5, 0, 5, 14),
}


def form_of(instrument_id):
    name = f"{instrument_id}.form"
    return load_form(builtin_form(name), name)


def test_the_library_lists_every_instrument_and_its_form():
    assert list(instrument_ids()) == IDS
    assert builtin_form_names() == frozenset(f"{i}.form" for i in IDS)
    assert forms.instrument is instrument and forms.score is not None


@pytest.mark.parametrize("instrument_id", IDS)
def test_form_is_form_js_and_matches_the_scoring_data(instrument_id):
    inst = instrument(instrument_id)
    raw = json.loads(builtin_form(inst.form))
    form = form_of(instrument_id)
    count, lo, hi, days = SHAPE[instrument_id]
    assert raw["schemaVersion"] == 19 and inst.form == f"{instrument_id}.form"
    assert [c.key for c in form.fields] == list(inst.items) == [f"{instrument_id}_{n}" for n in range(1, count + 1)]
    assert (inst.item_min, inst.item_max, inst.recall_days) == (lo, hi, days)
    for field in form.fields:
        assert field.type == "radio" and field.required and field.label_en
        assert sorted(o.value for o in field.options) == list(range(lo, hi + 1))
        assert all(isinstance(o.value, int) and o.label.strip() and o.label_en for o in field.options)


@pytest.mark.parametrize("instrument_id", IDS)
def test_form_opens_with_the_recall_period_in_both_languages(instrument_id):
    inst = instrument(instrument_id)
    first = form_of(instrument_id).components[0]
    assert first.type == "text"
    assert inst.recall.sv in first.text.lower() and inst.recall.en in first.text_en.lower()


@pytest.mark.parametrize("instrument_id", IDS)
def test_forms_with_a_suicide_item_end_with_where_to_get_help_now(instrument_id):
    last = form_of(instrument_id).components[-1]
    has_help = last.type == "text" and "112" in last.text and "112" in last.text_en
    assert has_help == bool(instrument(instrument_id).risk_rules)


def test_phq9_recall_wording():
    assert form_of("phq9").components[0].text.startswith(
        "Under de senaste två veckorna, hur ofta har du besvärats av")


@pytest.mark.parametrize("instrument_id", IDS)
def test_data_carries_provenance(instrument_id):
    inst = instrument(instrument_id)
    assert inst.name.sv and inst.name.en and inst.version
    assert inst.licence.strip() and inst.translation.strip() and inst.source
    assert any("DOMAIN.md" in s for s in inst.source)


@pytest.mark.parametrize("instrument_id", IDS)
def test_bands_match_the_published_cut_offs(instrument_id):
    inst = instrument(instrument_id)
    assert [(b.id, b.min, b.max) for b in inst.bands] == PUBLISHED_BANDS[instrument_id]
    assert all(b.label.sv and b.label.en for b in inst.bands)


@pytest.mark.parametrize("instrument_id", IDS)
def test_risk_rules_match_the_published_rules(instrument_id):
    rules = instrument(instrument_id).risk_rules
    assert [(r.id, r.item, r.levels) for r in rules] == PUBLISHED_RISK_RULES[instrument_id]


@pytest.mark.parametrize("instrument_id", IDS)
def test_schema_accepts_a_full_answer_set_from_the_browser(instrument_id):
    inst = instrument(instrument_id)
    schema = build_schema(form_of(instrument_id))
    answers = {k: str(inst.item_max) for k in inst.items}
    assert schema.load(answers) == {k: inst.item_max for k in inst.items}


@pytest.mark.parametrize("instrument_id", IDS)
@pytest.mark.parametrize("offset", [-1, 1])
def test_schema_rejects_a_value_outside_the_item_range(instrument_id, offset):
    inst = instrument(instrument_id)
    bad = inst.item_min - 1 if offset < 0 else inst.item_max + 1
    answers = {k: inst.item_min for k in inst.items} | {inst.items[-1]: bad}
    with pytest.raises(ValidationError) as info:
        build_schema(form_of(instrument_id)).load(answers)
    assert info.value.messages == {inst.items[-1]: ["Välj ett av alternativen."]}


@pytest.mark.parametrize("instrument_id", IDS)
def test_schema_requires_every_item(instrument_id):
    inst = instrument(instrument_id)
    with pytest.raises(ValidationError) as info:
        build_schema(form_of(instrument_id), locale="en").load({inst.items[0]: inst.item_min})
    assert set(info.value.messages) == set(inst.items[1:])


@pytest.mark.parametrize("instrument_id", IDS)
def test_form_renders_in_both_languages(instrument_id):
    form = form_of(instrument_id)
    sv, en = str(render_form(form)), str(render_form(form, locale="en"))
    assert form.fields[0].label in sv and form.fields[0].label_en in en
    assert sv.count('type="radio"') == sum(len(f.options) for f in form.fields)


def test_instrument_files_are_plain_utf8_json():
    for path in INSTRUMENTS.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
