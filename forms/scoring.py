"""Score the built-in questionnaires from their data files, forms/instruments/<id>.json.

Items, severity bands and risk rules are data, so clinicians can review them without
reading code. Risk rules look at single items and are evaluated whatever the total is:
a minimal PHQ-9 total with item 9 above 0 must still raise a flag.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from .library import INSTRUMENTS
from .model import is_english

PRIORITIES = ("high", "attention")  # most urgent first
KINDS = {int: "a whole number", str: "text", list: "a list", dict: "an object"}


class InstrumentError(ValueError):
    """An unknown instrument id, or instrument data that cannot be used."""


class ScoreError(ValueError):
    """Answers that cannot be scored; `missing` and `invalid` name the items."""

    def __init__(self, message: str, missing=(), invalid=None):
        self.missing = list(missing)
        self.invalid = dict(invalid or {})
        super().__init__(message)


@dataclass(frozen=True)
class Text:
    """A text in Swedish and English."""
    sv: str
    en: str

    def get(self, locale: str | None = "sv") -> str:
        return self.en if is_english(locale) else self.sv

    def as_dict(self) -> dict:
        return {"sv": self.sv, "en": self.en}


@dataclass(frozen=True)
class Band:
    """A severity band: a closed range of totals."""
    id: str
    min: int
    max: int
    label: Text

    def as_dict(self) -> dict:
        return {"id": self.id, "min": self.min, "max": self.max, "label": self.label.as_dict()}


@dataclass(frozen=True)
class Flag:
    """A raised risk rule: which item, what answer, how urgent."""
    id: str
    priority: str
    item: str
    value: int
    label: Text

    def as_dict(self) -> dict:
        return {"id": self.id, "priority": self.priority, "item": self.item, "value": self.value,
                "label": self.label.as_dict()}


@dataclass(frozen=True)
class RiskRule:
    """Flag one item at the priority of the highest threshold its answer reaches."""
    id: str
    item: str
    levels: tuple[tuple[int, str], ...]  # (min answer, priority), highest min first
    label: Text

    def evaluate(self, value: int) -> Flag | None:
        priority = next((p for lo, p in self.levels if value >= lo), None)
        return None if priority is None else Flag(self.id, priority, self.item, value, self.label)


@dataclass(frozen=True)
class Instrument:
    """One questionnaire's items, scoring, bands, risk rules and provenance."""
    id: str
    name: Text
    version: str
    form: str
    recall_days: int
    recall: Text
    items: tuple[str, ...]
    item_min: int
    item_max: int
    multiplier: int
    bands: tuple[Band, ...]
    risk_rules: tuple[RiskRule, ...]
    licence: str
    source: tuple[str, ...]
    translation: str

    @property
    def score_range(self) -> tuple[int, int]:
        n = len(self.items) * self.multiplier
        return self.item_min * n, self.item_max * n

    def band_for(self, total: int) -> Band:
        return next(b for b in self.bands if b.min <= total <= b.max)


@dataclass(frozen=True)
class Result:
    """A scored answer set; `as_dict()` is plain JSON data for task data."""
    instrument: str
    version: str
    raw: int
    total: int
    band: Band
    flags: tuple[Flag, ...]

    @property
    def priority(self) -> str | None:
        """The most urgent flag priority, or None without flags."""
        return next((p for p in PRIORITIES if any(f.priority == p for f in self.flags)), None)

    def as_dict(self) -> dict:
        return {"instrument": self.instrument, "version": self.version, "raw": self.raw, "total": self.total,
                "band": self.band.as_dict(), "flags": [f.as_dict() for f in self.flags],
                "priority": self.priority}


def instrument_ids() -> tuple[str, ...]:
    """List the ids of the built-in instruments."""
    return tuple(sorted(p.stem for p in INSTRUMENTS.glob("*.json")))


def instrument(instrument_id: str) -> Instrument:
    """Load and check one built-in instrument; raise InstrumentError if unknown or broken."""
    ids = instrument_ids()
    if not isinstance(instrument_id, str) or instrument_id not in ids:
        raise InstrumentError(f"unknown instrument {instrument_id!r} (known: {', '.join(ids)})")
    return _load(instrument_id)


@lru_cache(maxsize=None)
def _load(instrument_id: str) -> Instrument:
    name = f"{instrument_id}.json"
    try:
        data = json.loads((INSTRUMENTS / name).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InstrumentError(f"{name}: not valid JSON ({exc})") from None
    inst = parse_instrument(data, name)
    if inst.id != instrument_id:
        raise InstrumentError(f"{name}: 'id' is {inst.id!r}, but the file name says {instrument_id!r}")
    return inst


def score(instrument_id: str, answers: Mapping[str, Any]) -> Result:
    """Score a complete answer set; raise ScoreError naming missing or out-of-range items."""
    inst = instrument(instrument_id)
    if not isinstance(answers, Mapping):
        raise ScoreError(f"{inst.id}: answers must be a mapping of item key to value", missing=inst.items)
    missing = [k for k in inst.items if answers.get(k) is None]
    invalid = {k: answers[k] for k in inst.items if k not in missing and not _in_range(answers[k], inst)}
    if missing or invalid:
        parts = ["missing answers for " + ", ".join(missing)] if missing else []
        if invalid:
            parts.append(f"answers must be whole numbers {inst.item_min}–{inst.item_max}, got "
                         + ", ".join(f"{k}={v!r}" for k, v in invalid.items()))
        raise ScoreError(f"{inst.id}: cannot score: " + "; ".join(parts), missing, invalid)
    raw = sum(answers[k] for k in inst.items)
    total = raw * inst.multiplier
    flags = (rule.evaluate(answers[rule.item]) for rule in inst.risk_rules)
    return Result(inst.id, inst.version, raw, total, inst.band_for(total), tuple(f for f in flags if f))


def _in_range(value: Any, inst: Instrument) -> bool:
    # bool is an int in Python, but True is never a questionnaire answer.
    return isinstance(value, int) and not isinstance(value, bool) and inst.item_min <= value <= inst.item_max


def parse_instrument(data: Any, name: str) -> Instrument:
    """Build an Instrument from its JSON data; raise InstrumentError naming the problems."""
    if not isinstance(data, dict):
        raise InstrumentError(f"{name}: the document must be a JSON object")
    problems: list[str] = []
    need = lambda obj, key, kind, where="": _need(obj, key, kind, where, problems)  # noqa: E731
    text = lambda obj, key, where="": _text(obj, key, where, problems)  # noqa: E731
    items = need(data, "items", list) or []
    if not items or not all(isinstance(k, str) and k for k in items) or len(set(items)) != len(items):
        problems.append("'items' must be a non-empty list of distinct item keys")
    lo, hi = need(data, "item_min", int), need(data, "item_max", int)
    if lo is not None and hi is not None and lo >= hi:
        problems.append("'item_min' must be less than 'item_max'")
    scoring, recall = need(data, "scoring", dict) or {}, need(data, "recall_period", dict) or {}
    if scoring.get("method") != "sum":
        problems.append("'scoring.method' must be 'sum'")
    multiplier = need(scoring, "multiplier", int, "scoring.")
    if multiplier is not None and multiplier < 1:
        problems.append("'scoring.multiplier' must be 1 or more")
    source = need(data, "source", list) or []
    if not all(isinstance(s, str) and s.strip() for s in source):
        problems.append("'source' must be a list of citations")
    inst = Instrument(
        id=need(data, "id", str), name=text(data, "name"), version=need(data, "version", str),
        form=need(data, "form", str), recall_days=need(recall, "days", int, "recall_period."),
        recall=text(data, "recall_period"), items=tuple(items), item_min=lo, item_max=hi, multiplier=multiplier,
        bands=(), risk_rules=(), licence=need(data, "licence", str), source=tuple(source),
        translation=need(data, "translation", str))
    if problems:  # bands and rules are checked against the items and score range
        raise InstrumentError(f"{name}: " + "; ".join(problems))
    bands = _bands(data, inst, problems)
    rules = _rules(data, inst, problems)
    if problems:
        raise InstrumentError(f"{name}: " + "; ".join(problems))
    return replace(inst, bands=bands, risk_rules=rules)


def _need(obj: Any, key: str, kind: type, where: str, problems: list[str]) -> Any:
    value = obj.get(key) if isinstance(obj, dict) else None
    if isinstance(value, kind) and not isinstance(value, bool) and value != "":
        return value
    problems.append(f"'{where}{key}' must be {KINDS[kind]}")
    return None


def _text(obj: Any, key: str, where: str, problems: list[str]) -> Text:
    value = obj.get(key) if isinstance(obj, dict) else None
    sv, en = (value.get(k) if isinstance(value, dict) else None for k in ("sv", "en"))
    if not (isinstance(sv, str) and sv.strip() and isinstance(en, str) and en.strip()):
        problems.append(f"'{where}{key}' needs non-empty 'sv' and 'en' texts")
    return Text(sv or "", en or "")


def _bands(data: dict, inst: Instrument, problems: list[str]) -> tuple[Band, ...]:
    lo, hi = inst.score_range
    declared = data.get("score_range")
    if declared is not None and declared != [lo, hi]:
        problems.append(f"'score_range' says {declared}, but the items give {lo}–{hi}")
    bands = []
    for i, raw in enumerate(data.get("bands") if isinstance(data.get("bands"), list) else []):
        where, before = f"bands[{i}].", len(problems)
        band = Band(_need(raw, "id", str, where, problems), _need(raw, "min", int, where, problems),
                    _need(raw, "max", int, where, problems), _text(raw, "label", where, problems))
        if len(problems) == before and band.min > band.max:
            problems.append(f"band {band.id!r}: 'min' is greater than 'max'")
        bands.append(band)
    if not bands:
        problems.append("'bands' must be a non-empty list")
    if not bands or any(b.min is None or b.max is None for b in bands):
        return tuple(bands)
    if len({b.id for b in bands}) != len(bands):
        problems.append("band ids must be distinct")
    bands.sort(key=lambda b: (b.min, b.max))
    if bands[0].min != lo:
        problems.append(f"the bands must start at the lowest score {lo}, not {bands[0].min}")
    if bands[-1].max != hi:
        problems.append(f"the bands must end at the highest score {hi}, not {bands[-1].max}")
    for a, b in zip(bands, bands[1:]):
        if b.min > a.max + 1:
            problems.append(f"gap between bands {a.id!r} and {b.id!r}: no band covers {_span(a.max + 1, b.min - 1)}")
        elif b.min <= a.max:
            problems.append(f"bands {a.id!r} and {b.id!r} overlap on {_span(b.min, min(a.max, b.max))}")
    return tuple(bands)


def _urgency(priority: Any) -> int:
    return PRIORITIES.index(priority) if priority in PRIORITIES else len(PRIORITIES)


def _span(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}–{hi}"


def _rules(data: dict, inst: Instrument, problems: list[str]) -> tuple[RiskRule, ...]:
    raw_rules = data.get("risk_rules", [])
    if not isinstance(raw_rules, list):
        problems.append("'risk_rules' must be a list")
        return ()
    rules = []
    for i, raw in enumerate(raw_rules):
        where = f"risk_rules[{i}]."
        rid, item = _need(raw, "id", str, where, problems), _need(raw, "item", str, where, problems)
        label = _text(raw, "label", where, problems)
        if item is not None and item not in inst.items:
            problems.append(f"risk rule {rid!r}: item {item!r} is not one of the instrument's items")
        levels = []
        for j, level in enumerate(_need(raw, "levels", list, where, problems) or []):
            lo = _need(level, "min", int, f"{where}levels[{j}].", problems)
            priority = level.get("priority") if isinstance(level, dict) else None
            if priority not in PRIORITIES:
                problems.append(f"risk rule {rid!r}: priority must be one of {', '.join(PRIORITIES)}")
            # A threshold at the lowest answer would flag everyone; above the highest, no one.
            if lo is not None and not inst.item_min < lo <= inst.item_max:
                problems.append(f"risk rule {rid!r}: threshold {lo} must be above {inst.item_min} "
                                f"and at most {inst.item_max}")
            levels.append((lo, priority))
        levels.sort(key=lambda lv: -(lv[0] or 0))
        if not levels or len({lo for lo, _ in levels}) != len(levels):
            problems.append(f"risk rule {rid!r}: needs levels with distinct thresholds")
        elif [p for _, p in levels] != sorted((p for _, p in levels), key=_urgency):
            problems.append(f"risk rule {rid!r}: a higher threshold must not have a lower priority")
        rules.append(RiskRule(rid, item, tuple(levels), label))
    if len({r.id for r in rules}) != len(rules):
        problems.append("risk rule ids must be distinct")
    return tuple(rules)
