"""The demo clock's offset: now() adds it, wall() does not, freeze and advance still work beneath
it, reset clears it; it is kept in the database and only ever moves forward."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import engine
from engine import clock
from engine.db import db
from engine.models import DemoClock

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def test_now_is_the_wall_time_plus_the_demo_offset_and_tests_still_move_the_clock():
    try:
        clock.freeze(T0)
        clock.set_demo_offset(timedelta(days=7))
        assert (clock.now(), clock.wall()) == (T0 + timedelta(days=7), T0)
        clock.advance(timedelta(hours=1))
        assert (clock.now(), clock.wall()) == (T0 + timedelta(days=7, hours=1), T0 + timedelta(hours=1))
        assert clock.EngineDatetime.now(timezone.utc) == T0 + timedelta(days=7, hours=1)
    finally:
        clock.reset()
    assert clock.demo_offset() == timedelta(0)
    assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_the_offset_is_kept_in_the_database_and_loaded_by_sync(ctx):
    assert engine.democlock.sync() == timedelta(0)
    assert engine.democlock.move(timedelta(days=1), "s1") == timedelta(days=1)
    assert engine.democlock.move(timedelta(weeks=1), "s1") == timedelta(days=8)
    db.session.commit()
    clock.set_demo_offset(timedelta(0))  # as in a process that has not read it yet
    assert engine.democlock.sync() == timedelta(days=8) == clock.demo_offset()
    row = db.session.get(DemoClock, 1)
    assert (row.offset_seconds, row.moved_by) == (8 * 86400, "s1")


@pytest.mark.parametrize("step", [timedelta(0), timedelta(days=-1), timedelta(days=32)])
def test_the_demo_clock_moves_forward_only_and_a_month_at_most(ctx, step):
    with pytest.raises(ValueError):
        engine.democlock.move(step, "s1")
    assert clock.demo_offset() == timedelta(0)
