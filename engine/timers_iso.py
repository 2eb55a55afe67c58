"""Timer rules: designers write plain ISO 8601 (``P7D``); quoting for SpiffWorkflow is ours.

SpiffWorkflow evaluates timer text as an expression, so an unquoted ``P7D`` fails at run time
(spiff-arena #1075, #288). We accept plain ISO values, check them at load, and quote them before
the library sees the tree. Anything else must be a sandboxed expression producing ISO text.
Cycles must be bounded (``R5/P1D``) and no more often than hourly; dates need a UTC offset,
because the library applies a fixed offset captured at import to naive dates (wrong across DST).
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine import sandbox
from engine.bpmn_xml import nearest_id, q
from engine.errors import Problem
from engine.sandbox_bounds import MAX_TIMER_SPAN

ISO_LIKE = re.compile(r"^(R\d*/|P|\d{4}-)", re.IGNORECASE)
MAX_CYCLES = 1000
MIN_CYCLE = timedelta(hours=1)
TIMER_TAGS = ("timeDuration", "timeDate", "timeCycle")


def literal_value(text: str) -> str | None:
    """The ISO text a timer stands for, if it is a plain or quoted literal."""
    text = text.strip()
    if ISO_LIKE.match(text):
        return text
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'" and ISO_LIKE.match(text[1:-1]):
        return text[1:-1]
    return None


def check_timers(name: str, root) -> list[Problem]:
    problems = []
    for kind in TIMER_TAGS:
        for el in root.iter(q(kind)):
            text = (el.text or "").strip()
            reason = _check_one(kind, text)
            if reason:
                problems.append(Problem(name, nearest_id(el), reason))
    return problems


def check_timer(kind: str, text: str) -> list[str]:
    """Reasons why ``text`` is not an acceptable timer value of ``kind`` (``timeDuration``,
    ``timeDate`` or ``timeCycle``): the check a package gets, for one field as it is typed."""
    if kind not in TIMER_TAGS:
        raise ValueError(f"not a timer kind: {kind!r}")
    reason = _check_one(kind, (text or "").strip())
    return [reason] if reason else []


def _check_one(kind: str, text: str) -> str | None:
    if not text:
        return "the timer has no value"
    if text.startswith("-") and literal_value(text[1:]) is not None:
        return f"'{text}': a timer cannot wait a negative time"
    value = literal_value(text)
    if value is None:
        problems = sandbox.check_expression(text)
        return f"timer expression: {problems[0]}" if problems else None
    try:
        return {"timeDuration": _duration, "timeDate": _date, "timeCycle": _cycle}[kind](value)
    except Exception:  # the library raises bare Exception/ValueError/AttributeError on bad input
        return f"'{value}' is not a valid ISO 8601 {_noun(kind)}"


def _noun(kind):
    return {"timeDuration": "duration (e.g. P7D)", "timeDate": "date (e.g. 2027-01-10T09:00:00+01:00)",
            "timeCycle": "cycle (e.g. R4/P1W)"}[kind]


def _duration(value):
    if not value.upper().startswith("P"):
        raise ValueError
    return _within_span(value, TimerEventDefinition.parse_iso_duration(value))


# Calendar units at their longest, so a duration that passes can never overflow a date.
_UNIT_DAYS = {"years": 366, "months": 31, "weeks": 7, "days": 1, "hours": 1 / 24, "minutes": 1 / 1440,
              "seconds": 1 / 86400}


def _within_span(value, parts: dict) -> str | None:
    days = sum(float(amount) * _UNIT_DAYS.get(unit, 0) for unit, amount in parts.items())
    if days > MAX_TIMER_SPAN.days:
        return f"'{value}' is longer than a timer may wait (at most {MAX_TIMER_SPAN.days // 365} years)"
    return None


def _date(value):
    if datetime.fromisoformat(value).tzinfo is None:
        return f"the date '{value}' needs a UTC offset (e.g. +01:00 or Z)"
    return None


def _cycle(value):
    head = value.upper().split("/", 1)[0]
    if head == "R" or not head.startswith("R"):
        return f"the cycle '{value}' repeats without end; give a count, e.g. R4/P1W"
    count, _start, interval = TimerEventDefinition.parse_iso_recurring_interval(value)
    if not 1 <= count <= MAX_CYCLES:
        return f"a cycle may repeat between 1 and {MAX_CYCLES} times"
    if interval < MIN_CYCLE:
        return "a cycle may not repeat more often than once an hour"
    if interval * count > MAX_TIMER_SPAN:
        return f"the cycle '{value}' runs longer than a timer may wait (at most {MAX_TIMER_SPAN.days // 365} years)"
    return None


def quote_literals(root) -> None:
    """Rewrite plain ISO timer values as the quoted strings SpiffWorkflow expects."""
    for kind in TIMER_TAGS:
        for el in root.iter(q(kind)):
            value = literal_value(el.text or "")
            if value is not None:
                el.text = json.dumps(value)
