"""The functions designers' expressions may call: the sandbox's own list (plain, bounded Python
built-ins and a few date and timer helpers) and the functions the platform registers at start-up
that read the task data themselves (``score('phq9')``). Every name here is reserved: task data may
not use it."""
from __future__ import annotations

import math
from datetime import date, timedelta

from engine import clock, sandbox_bounds as bounds
from engine.work_calendar import working_days_later


def duration(weeks=0, days=0, hours=0, minutes=0, seconds=0) -> str:
    """An ISO 8601 duration for timers, so designers never build one by string concatenation."""
    parts = {"W": weeks, "D": days, "H": hours, "M": minutes, "S": seconds}
    for name, value in parts.items():
        if not isinstance(value, (int, float)) or value < 0 or value > 10_000_000:
            raise ValueError(f"duration: {name} must be a number between 0 and 10000000")
    total = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    if total > bounds.MAX_TIMER_SPAN:
        raise ValueError(f"duration: at most {bounds.MAX_TIMER_SPAN.days // 365} years")
    # Weeks beside anything else are written as days: SpiffWorkflow refuses "P2W3D" (ISO allows W alone).
    if weeks and (days or hours or minutes or seconds):
        parts = {**parts, "W": 0, "D": weeks * 7 + days}
    date = "".join(f"{_num(v)}{k}" for k, v in parts.items() if k in "WD" and v)
    tod = "".join(f"{_num(v)}{k}" for k, v in parts.items() if k in "HMS" and v)
    return "P" + (date or ("" if tod else "0D")) + (f"T{tod}" if tod else "")


def _num(value):
    return int(value) if float(value).is_integer() else value


def today() -> str:
    """Today's date (ISO) on the engine clock, UTC."""
    return clock.now().date().isoformat()


def days_between(start: str, end: str) -> int:
    """Whole days from one ISO date to another."""
    return (date.fromisoformat(end[:10]) - date.fromisoformat(start[:10])).days


def count_at_least(values, threshold) -> int:
    """How many of the values are at least ``threshold`` (e.g. PHQ-9 items scored 2 or more)."""
    return sum(1 for v in values if v is not None and v >= threshold)


FUNCTIONS = {
    "len": len, "min": min, "max": max, "sum": bounds.bounded_sum, "abs": abs, "round": round, "int": int,
    "float": float, "str": str, "bool": bool, "any": any, "all": all, "sorted": sorted,
    "floor": math.floor, "ceil": math.ceil,
    "duration": duration, "today": today, "days_between": days_between,
    "count_at_least": count_at_least, "working_days_later": working_days_later,
}
# Functions the platform adds at start-up that read the task data themselves, e.g.
# ``score('phq9')`` from the instrument library: the engine calls them, it never imports them.
DATA_FUNCTIONS: dict = {}


def register_data_function(name: str, function) -> None:
    """Offer ``name(*args)`` to designers; ``function(data, *args)`` gets the task data first.
    It must be pure and return JSON-shaped values."""
    if not name.isidentifier() or name.startswith("_"):
        raise ValueError(f"not a usable function name: {name!r}")
    DATA_FUNCTIONS[name] = function


def is_helper_name(name: str) -> bool:
    """True if expressions may call ``name``. Data may still use the name: inside an instance
    the data shadows the helper, so only a call of it fails (engine/shadowing.py warns)."""
    return name in FUNCTIONS or name in DATA_FUNCTIONS
