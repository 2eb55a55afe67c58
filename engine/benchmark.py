"""Seeding and measuring engine tables in bulk, for ``vardflode bench`` only; the platform never
calls these.

The task-list and timer benchmarks need tens of thousands of stored instances. Running each one
through the engine would measure the engine again, not the query under test, so these copy the
rows of one real instance instead. The storage figure counts the bytes of every row an instance
owns. Like every engine function these flush and never commit: the benchmark commits each chunk.
"""
from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, text

from engine import baseline, clock
from engine.db import db
from engine.models import EventWait, HumanTask, InstanceEvent, ProcessInstance, Timer
from engine.records import Version

_OWNED = (InstanceEvent, EventWait, Timer, HumanTask)


@dataclass(frozen=True)
class TaskCopy:
    """A copy of an instance with one open human task: where it is, whose, and when it was made."""

    unit_id: str
    subject_id: str
    owner_id: str
    role: str
    assignee_id: str
    created_at: datetime
    due_at: datetime


def sample_state() -> bytes:
    """The stored state of one instance, to copy."""
    return db.session.scalars(select(ProcessInstance.state).limit(1)).one()


def clear() -> None:
    """Delete every instance with its index rows and history (the benchmark owns its database)."""
    for model in (*_OWNED, ProcessInstance):
        db.session.execute(delete(model))


def add_task_copies(version: Version, state: bytes, copies: Iterable[TaskCopy], *, element_id: str, name: str,
                    form: str) -> None:
    """Insert running instances of ``version`` in ``state``, each with the one open task its copy describes."""
    instances, tasks = [], []
    for copy in copies:
        instance_id = uuid.uuid4().hex
        instances.append(dict(id=instance_id, version_hash=version.content_hash, process_id=version.main_process,
                              status="running", state=state, state_format=1, lock_version=1, unit_id=copy.unit_id,
                              subject_id=copy.subject_id, owner_id=copy.owner_id, is_test=False,
                              created_at=copy.created_at, updated_at=copy.created_at))
        tasks.append(dict(id=str(uuid.uuid4()), instance_id=instance_id, element_id=element_id, name=name,
                          role=copy.role, unit_id=copy.unit_id, assignee_id=copy.assignee_id, form=form,
                          due_at=copy.due_at, created_at=copy.created_at))
    db.session.execute(insert(ProcessInstance), instances)
    db.session.execute(insert(HumanTask), tasks)


def remove_copies(unit_prefix: str) -> None:
    """Delete the copies on units whose id starts with ``unit_prefix`` (they own a task row only)."""
    for model in (HumanTask, ProcessInstance):
        db.session.execute(delete(model).where(model.unit_id.startswith(unit_prefix)))


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics after a bulk insert (SQLite plans without them)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE human_task"))
        db.session.execute(text("ANALYZE process_instance"))


def copy_waiting(instance_id: str, count: int) -> list[str]:
    """Insert ``count`` copies of an instance that waits on one timer, each with that timer; their ids."""
    template = db.session.get(ProcessInstance, instance_id)
    timer = db.session.scalars(select(Timer).where(Timer.instance_id == template.id)).one()
    now = clock.now()
    rows, timers = [], []
    for _ in range(count):
        copy_id = uuid.uuid4().hex
        rows.append(dict(id=copy_id, version_hash=template.version_hash, process_id=template.process_id,
                         status="running", state=template.state, state_format=1, lock_version=1,
                         unit_id=template.unit_id, is_test=False, created_at=now, updated_at=now))
        timers.append(dict(instance_id=copy_id, task_id=timer.task_id, element_id=timer.element_id,
                           due_at=timer.due_at))
    db.session.execute(insert(ProcessInstance), rows)
    db.session.execute(insert(Timer), timers)
    return [row["id"] for row in rows]


def timer_due(instance_id: str) -> datetime:
    """When the instance's one waiting timer falls due."""
    return db.session.scalars(select(Timer.due_at).where(Timer.instance_id == instance_id)).one()


def timer_firings(instance_ids: Iterable[str]) -> list[tuple[str, datetime]]:
    """(instance id, when) for every timer fired so far in these instances."""
    rows = db.session.execute(select(InstanceEvent.instance_id, InstanceEvent.at).where(
        InstanceEvent.kind == "timer_fired", InstanceEvent.instance_id.in_(list(instance_ids))))
    return [(instance_id, at) for instance_id, at in rows]


def storage(version: Version) -> dict:
    """Bytes we keep per instance (state + instance row + index rows) against the default JSON."""
    ours, state, index, default, history = [], [], [], [], []
    for instance in db.session.scalars(select(ProcessInstance)):
        rows = _index_bytes(instance.id)
        meta = sum(len(str(v or "")) for v in (instance.id, instance.version_hash, instance.process_id,
                                                 instance.status, instance.unit_id, instance.subject_id,
                                                 instance.owner_id)) + 8 * 6
        state.append(len(instance.state))
        index.append(rows + meta)
        ours.append(len(instance.state) + rows + meta)
        default.append(baseline.default_size_of(version, instance.state))
        history.append(_history_bytes(instance.id))
    mean = statistics.fmean
    return {"instances": len(ours), "ours_bytes": mean(ours), "state_bytes": mean(state),
            "index_bytes": mean(index), "default_bytes": mean(default), "ratio": mean(ours) / mean(default),
            "history_bytes": mean(history)}


def _index_bytes(instance_id) -> int:
    total = 0
    for model in (HumanTask, Timer, EventWait):
        for row in db.session.scalars(select(model).where(model.instance_id == instance_id)):
            total += sum(len(str(getattr(row, c.key) or "")) for c in model.__table__.columns)
    return total


def _history_bytes(instance_id) -> int:
    rows = db.session.scalars(select(InstanceEvent).where(InstanceEvent.instance_id == instance_id))
    return sum(sum(len(str(getattr(r, c.key) or "")) for c in InstanceEvent.__table__.columns) for r in rows)


def add_ended_copies(version: Version, state: bytes, copies: Iterable[tuple[str, str, datetime]]) -> None:
    """Insert ended instances of ``version`` in ``state``: (unit, subject, ended at) each, with no
    open step, as a program that ran to its end leaves them (the purge benchmark's material)."""
    rows = []
    for unit_id, subject_id, ended_at in copies:
        rows.append(dict(id=uuid.uuid4().hex, version_hash=version.content_hash, process_id=version.main_process,
                         status="completed", state=state, state_format=1, lock_version=1, unit_id=unit_id,
                         subject_id=subject_id, owner_id="bench-clinician", is_test=False,
                         created_at=ended_at, updated_at=ended_at, ended_at=ended_at))
    if rows:
        db.session.execute(insert(ProcessInstance), rows)
