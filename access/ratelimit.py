"""Rate limits and lockouts shared by every web process: fixed windows counted in the database,
in their own short transaction so a rolled-back request still counts."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from engine import clock
from engine.db import db
from access.models import RateCounter


def hit(key: str, limit: int, window: timedelta) -> bool:
    """Count one attempt; True while the key is within its limit for the current window."""
    return _count(key, window, add=1) <= limit


def blocked(key: str, limit: int, window: timedelta) -> bool:
    """True when the key has used up its limit (without counting this look)."""
    return _count(key, window, add=0) >= limit


def clear(key: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(RateCounter.__table__).where(RateCounter.__table__.c.key == key).values(count=0))


def _count(key: str, window: timedelta, add: int) -> int:
    table = RateCounter.__table__
    now = clock.now()
    with db.engine.begin() as conn:
        row = conn.execute(select(table.c.window_start, table.c.count).where(table.c.key == key)
                           .with_for_update()).one_or_none()
        if row is None:
            try:
                conn.execute(table.insert().values(key=key, window_start=now, count=add))
                return add
            except Exception:  # another process created it first; count on that row
                row = conn.execute(select(table.c.window_start, table.c.count).where(table.c.key == key)).one()
        start = row.window_start if row.window_start.tzinfo else row.window_start.replace(tzinfo=now.tzinfo)
        if now - start >= window:
            conn.execute(table.update().where(table.c.key == key).values(window_start=now, count=add))
            return add
        conn.execute(table.update().where(table.c.key == key).values(count=table.c.count + add))
        return row.count + add
