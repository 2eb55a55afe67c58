"""Working days on the calendar that is data: weekends and the listed holidays do not count."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from engine import clock, work_calendar
from engine.sandbox_functions import FUNCTIONS


def test_a_listed_holiday_is_skipped_like_a_weekend():
    # Monday 5 January 2026 at 09:00 Swedish time; 6 January (Trettondedag jul) is a holiday.
    monday = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
    assert work_calendar.add_working_days(monday, 1) == datetime(2026, 1, 7, 8, 0, tzinfo=timezone.utc)
    assert work_calendar.add_working_days(monday, 5) == datetime(2026, 1, 13, 8, 0, tzinfo=timezone.utc)


def test_easter_and_the_weekend_around_it_are_not_working_days():
    thursday = datetime(2026, 4, 2, 8, 0, tzinfo=timezone.utc)
    # Good Friday, the weekend and Easter Monday pass: the next working day is Tuesday 7 April.
    assert work_calendar.add_working_days(thursday, 1).date() == date(2026, 4, 7)


def test_every_listed_day_is_a_date_and_not_a_working_day():
    listed = json.loads(work_calendar.HOLIDAYS_FILE.read_text(encoding="utf-8"))["holidays"]
    assert listed
    for day in listed:
        assert not work_calendar.is_working_day(date.fromisoformat(day)), day


def test_timers_can_wait_working_days_from_the_engine_clock():
    clock.freeze(datetime(2026, 12, 23, 9, 0, tzinfo=timezone.utc))
    try:
        due = FUNCTIONS["working_days_later"](2)
    finally:
        clock.reset()
    # 24, 25, 26 (Saturday), 27 (Sunday) are not working days: the 28th and the 29th are.
    assert datetime.fromisoformat(due) == datetime(2026, 12, 29, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("days", [-1, 1.5, "5", True, 1001])
def test_a_bad_number_of_days_is_refused_by_name(days):
    with pytest.raises(ValueError, match="working_days_later"):
        work_calendar.working_days_later(days)
