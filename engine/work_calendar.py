"""Working days on the platform's calendar: Saturdays, Sundays and the holidays listed in
``holidays_se.json`` are not working days. The holidays are data so that next year's days are added
without a code change; a day missing from the file simply counts as a working day."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from engine import clock

HOLIDAYS_FILE = Path(__file__).with_name("holidays_se.json")


@lru_cache(maxsize=1)
def holidays() -> frozenset[date]:
    listed = json.loads(HOLIDAYS_FILE.read_text(encoding="utf-8"))["holidays"]
    return frozenset(date.fromisoformat(day) for day in listed)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays()


def add_working_days(at: datetime, days: int) -> datetime:
    """``days`` working days after ``at``, at the same Swedish local time, in UTC."""
    local = at.astimezone(clock.SWEDEN) if at.tzinfo else at.replace(tzinfo=timezone.utc).astimezone(clock.SWEDEN)
    day, left = local.date(), max(0, int(days))
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    due = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=clock.SWEDEN)
    return due.astimezone(timezone.utc)


def working_days_later(days: int) -> str:
    """The ISO time (with offset) ``days`` working days from now on the engine clock: a timer's
    ``timeDate`` for reminders counted in working days, e.g. ``working_days_later(5)``."""
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 1000:
        raise ValueError("working_days_later: days must be a whole number between 0 and 1000")
    return add_working_days(clock.now(), days).isoformat()
