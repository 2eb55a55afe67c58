"""Rate limits and sign-in waits shared by every web process: fixed windows counted in the
database, in their own short transaction so a rolled-back request still counts.

Each write runs on a second connection (``db.engine.begin()``): on SQLite it waits while the
request's own transaction holds the write lock, so call these before the request writes."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from engine import clock
from engine.db import db
from access.models import RateCounter

_TABLE = RateCounter.__table__


def hit(key: str, limit: int, window: timedelta) -> bool:
    """Count one attempt; True while the key is within its limit for the current window."""
    return _count(key, window, add=1) <= limit


def blocked(key: str, limit: int, window: timedelta) -> bool:
    """True when the key has used up its limit (without counting this look)."""
    return _count(key, window, add=0) >= limit


def clear(key: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(_TABLE).where(_TABLE.c.key == key).values(count=0, last_at=None))


def wait_left(key: str, window: timedelta, *, free: int, first: timedelta, longest: timedelta) -> timedelta:
    """How long the key must still wait: nothing for its first ``free`` attempts in the window,
    then ``first`` after the last one, doubling with every further attempt up to ``longest``."""
    now = clock.wall()
    with db.engine.connect() as conn:
        row = conn.execute(select(_TABLE.c.window_start, _TABLE.c.count, _TABLE.c.last_at)
                           .where(_TABLE.c.key == key)).one_or_none()
    if row is None or row.count < free or row.last_at is None or now - _aware(row.window_start, now) >= window:
        return timedelta(0)
    wait = min(first * 2 ** (row.count - free), longest)
    return max(_aware(row.last_at, now) + wait - now, timedelta(0))


def _aware(moment, now):
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


def _count(key: str, window: timedelta, add: int) -> int:
    now = clock.wall()
    last = {"last_at": now} if add else {}
    with db.engine.begin() as conn:
        row = conn.execute(select(_TABLE.c.window_start, _TABLE.c.count).where(_TABLE.c.key == key)
                           .with_for_update()).one_or_none()
        if row is None:
            try:
                conn.execute(_TABLE.insert().values(key=key, window_start=now, count=add, **last))
                return add
            except Exception:  # another process created it first; count on that row
                row = conn.execute(select(_TABLE.c.window_start, _TABLE.c.count).where(_TABLE.c.key == key)).one()
        if now - _aware(row.window_start, now) >= window:
            conn.execute(_TABLE.update().where(_TABLE.c.key == key).values(window_start=now, count=add, **last))
            return add
        conn.execute(_TABLE.update().where(_TABLE.c.key == key).values(count=_TABLE.c.count + add, **last))
        return row.count + add
