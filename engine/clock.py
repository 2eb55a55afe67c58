"""The one clock the platform reads "now" from.

SpiffWorkflow has no clock parameter: its timer module calls ``datetime.now(timezone.utc)``.
We replace that module's ``datetime`` with a subclass whose ``now()`` asks this clock, so
timers, the scheduler, the index tables and simulations all agree on the time, and tests and
``vardflode simulate`` can move it (time travel) without touching the system clock.

The demo (VARDFLODE_DEMO_CLOCK) adds one more offset, kept in the database so every process
agrees on it (engine/democlock.py loads it): ``now()`` includes it, ``wall()`` does not. What
must keep to the world outside (sign-in codes from an authenticator app, session lifetimes,
rate limits) reads ``wall()``, so moving the demo clock a week signs nobody out.
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

# Dates people read and type (validity, ages, weeks, log days) are Swedish dates.
SWEDEN = ZoneInfo("Europe/Stockholm")
_lock = threading.Lock()
_frozen: datetime | None = None
_offset = timedelta(0)
_demo = timedelta(0)  # the demo clock's offset; only ever set where VARDFLODE_DEMO_CLOCK is on
_private = threading.local()  # a thread's own clock while it runs ``private()`` (a simulation in a request)


class _Clock:
    def __init__(self):
        self.frozen, self.offset, self.demo = None, timedelta(0), timedelta(0)


def now() -> datetime:
    """The current time, timezone-aware UTC (the demo clock's offset included)."""
    own = getattr(_private, "clock", None)
    return wall() + (own.demo if own is not None else _demo)


def wall() -> datetime:
    """The current time without the demo clock's offset (tests' freeze and advance still apply):
    for TOTP codes, session lifetimes and rate limits, which keep to the real world."""
    own = getattr(_private, "clock", None)
    if own is not None:
        return own.frozen if own.frozen is not None else datetime.now(timezone.utc) + own.offset
    if _frozen is not None:
        return _frozen
    return datetime.now(timezone.utc) + _offset


def set_demo_offset(offset: timedelta) -> None:
    """How far ahead the demo clock is (engine/democlock.py, from the database)."""
    global _demo
    own = getattr(_private, "clock", None)
    if own is not None:
        own.demo = offset
        return
    with _lock:
        _demo = offset


def demo_offset() -> timedelta:
    own = getattr(_private, "clock", None)
    return own.demo if own is not None else _demo


@contextmanager
def private():
    """Within this block this thread has a clock of its own, starting at the real time with no
    demo offset: ``freeze``, ``advance`` and ``reset`` move only it. The design tool runs a
    package's scenarios in a request this way; the process's clock, which the request and every
    other thread read, is never touched, and the thread is back on it afterwards."""
    outer = getattr(_private, "clock", None)
    _private.clock = _Clock()
    try:
        yield
    finally:
        _private.clock = outer


@contextmanager
def shifted(delta: timedelta):
    """Within this block this thread's ``now()`` is ``delta`` ahead of the clock it had: a test
    run's own clock (engine/testclock.py). ``wall()`` is not moved (sign-in codes and sessions
    keep to the world), and the process's clock, which every other thread reads, is untouched."""
    outer = getattr(_private, "clock", None)
    own = _Clock()
    if outer is not None:
        own.frozen, own.offset, own.demo = outer.frozen, outer.offset, outer.demo
    else:
        with _lock:
            own.frozen, own.offset, own.demo = _frozen, _offset, _demo
    own.demo = own.demo + delta
    _private.clock = own
    try:
        yield
    finally:
        _private.clock = outer


def local_today():
    """Today's date in Sweden: validity dates (assignments, units) turn at Swedish midnight."""
    return now().astimezone(SWEDEN).date()


def add_working_days(at: datetime, days: int) -> datetime:
    """``days`` working days after ``at``, at the same local time: Saturdays and Sundays do not
    count (Swedish public holidays do, for now). Counted on the Swedish calendar, so a step made
    ready on Friday afternoon with two working days is due on Tuesday afternoon."""
    local = _aware(at).astimezone(SWEDEN)
    day, left = local.date(), max(0, int(days))
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    due = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=SWEDEN)
    return due.astimezone(timezone.utc)


def freeze(at: datetime) -> None:
    """Stop the clock at ``at`` (tests and simulations)."""
    global _frozen
    own = getattr(_private, "clock", None)
    if own is not None:
        own.frozen = _aware(at)
        return
    with _lock:
        _frozen = _aware(at)


def advance(delta: timedelta) -> datetime:
    """Move the clock forward, frozen or running."""
    global _frozen, _offset
    own = getattr(_private, "clock", None)
    if own is not None:
        if own.frozen is not None:
            own.frozen = own.frozen + delta
        else:
            own.offset = own.offset + delta
        return now()
    with _lock:
        if _frozen is not None:
            _frozen = _frozen + delta
        else:
            _offset = _offset + delta
    return now()


def reset() -> None:
    """Back to the real wall clock (and no demo offset until the next load from the database)."""
    global _frozen, _offset, _demo
    own = getattr(_private, "clock", None)
    if own is not None:
        own.frozen, own.offset, own.demo = None, timedelta(0), timedelta(0)
        return
    with _lock:
        _frozen, _offset, _demo = None, timedelta(0), timedelta(0)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


class EngineDatetime(datetime):
    """``datetime`` whose ``now()`` reads the engine clock (patched into SpiffWorkflow)."""

    @classmethod
    def now(cls, tz=None):  # noqa: D102 - same contract as datetime.now
        current = now()
        if tz is None:
            return current.astimezone().replace(tzinfo=None)
        return current.astimezone(tz)


class _EngineTime:
    """Stands in for the ``time`` module inside SpiffWorkflow's task module, whose only use of it
    is stamping ``last_state_change``: completion times then follow the engine clock too."""

    @staticmethod
    def time() -> float:
        return now().timestamp()


def install_into_spiffworkflow(timer_module, task_module) -> None:
    """Point SpiffWorkflow's timer module and task time stamps at the engine clock."""
    timer_module.datetime = EngineDatetime
    task_module.time = _EngineTime


_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def parse_duration(text: str) -> timedelta:
    """A plain ISO 8601 duration (PnW, PnDTnHnMnS) as a timedelta; months and years are refused
    because their length depends on the start date."""
    match = _DURATION.match(text.strip().upper()) if isinstance(text, str) else None
    if not match or text.strip().upper() in ("P", "PT"):
        raise ValueError(f"'{text}' is not an ISO 8601 duration such as P14D or PT2H")
    weeks, days, hours, minutes, seconds = (float(g) if g else 0 for g in match.groups())
    return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
