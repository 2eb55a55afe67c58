"""The demo clock (VARDFLODE_DEMO_CLOCK, the demo only): national management moves the platform's
time forward so a newcomer sees timers fire (a module opens, an escalation, a follow-up) without
waiting. The offset lives in the ``demo_clock`` table, so every process reads the same time:
``sync()`` loads it into the engine clock (web requests, worker messages and scheduler sweeps call
it, and only where the setting is on); ``move()`` adds to it. It only ever moves forward: timers
that have fired cannot be taken back."""
from __future__ import annotations

from datetime import timedelta

from engine import clock
from engine.db import db
from engine.models import DemoClock

ROW = 1
LONGEST_STEP = timedelta(days=31)


def sync() -> timedelta:
    """Load the stored offset into the engine clock; returns it."""
    row = db.session.get(DemoClock, ROW)
    offset = timedelta(seconds=row.offset_seconds) if row is not None else timedelta(0)
    clock.set_demo_offset(offset)
    return offset


def move(step: timedelta, moved_by: str | None) -> timedelta:
    """Move the demo clock ``step`` forward (at most a month at a time); the caller commits.
    Returns the new offset."""
    if step <= timedelta(0) or step > LONGEST_STEP:
        raise ValueError("the demo clock moves forward, at most a month at a time")
    row = db.session.get(DemoClock, ROW, with_for_update=True)
    if row is None:
        row = DemoClock(id=ROW, offset_seconds=0)
        db.session.add(row)
    row.offset_seconds = (row.offset_seconds or 0) + int(step.total_seconds())
    row.moved_at, row.moved_by = clock.wall(), moved_by
    offset = timedelta(seconds=row.offset_seconds)
    clock.set_demo_offset(offset)
    return offset
