"""The instance row as the engine's hot path reads and writes it: plain SQL, no unit of work.

Completing a task is one locked SELECT and one guarded UPDATE of this row. The UPDATE carries
the optimistic version check (``lock_version``), so on SQLite, which has no row locks, a lost
race is still caught; on PostgreSQL the FOR UPDATE makes the second writer wait instead.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm.util import identity_key

from engine.db import db
from engine.errors import NotFound, TaskConflict
from engine.models import ProcessInstance

TABLE = ProcessInstance.__table__


@dataclass
class InstanceRow:
    id: str
    version_hash: str
    process_id: str
    status: str
    state: bytes
    state_format: int
    lock_version: int
    unit_id: str | None
    subject_id: str | None
    owner_id: str | None
    is_test: bool
    index_keys: dict
    incident_element: str | None
    incident_message: str | None
    created_at: datetime
    updated_at: datetime
    ended_at: datetime | None
    clock_offset_seconds: int = 0  # a test run's own clock (engine/testclock.py); 0 for real ones
    is_new: bool = False


_COLUMNS = [f.name for f in fields(InstanceRow) if f.name != "is_new"]
_WRITTEN = [name for name in _COLUMNS if name not in ("id", "lock_version")]

# Built once: statement construction and cache keys were a third of a task completion's cost.
_LOCK = select(*[TABLE.c[name] for name in _COLUMNS]).where(TABLE.c.id == bindparam("row_id")).with_for_update()
_INSERT = insert(TABLE)
_UPDATE = (update(TABLE)
           .where(TABLE.c.id == bindparam("row_id"), TABLE.c.lock_version == bindparam("expected_version"))
           .values(lock_version=bindparam("new_version"), **{name: bindparam(name) for name in _WRITTEN}))


def lock(instance_id: str) -> InstanceRow:
    found = db.session.execute(_LOCK, {"row_id": instance_id}).mappings().one_or_none()
    if found is None:
        raise NotFound("no such process instance")
    return InstanceRow(**found)


def write(row: InstanceRow) -> None:
    """Insert a new row, or update under the version check; a lost race is a TaskConflict."""
    values = {name: getattr(row, name) for name in _WRITTEN}
    if row.is_new:
        db.session.execute(_INSERT, {"id": row.id, "lock_version": 1, **values})
        row.is_new, row.lock_version = False, 1
        return
    result = db.session.execute(_UPDATE, {"row_id": row.id, "expected_version": row.lock_version,
                                          "new_version": row.lock_version + 1, **values})
    if result.rowcount != 1:
        raise TaskConflict("the instance was changed by someone else; reload and try again")
    row.lock_version += 1
    cached = db.session.identity_map.get(identity_key(ProcessInstance, row.id))
    if cached is not None:  # an ORM copy read earlier in this transaction is now out of date
        db.session.expire(cached)
