"""Purging an ended instance's working material (gallring, R44–R47; the rules are in purging/).

What goes: the serialized workflow state (every answer, score and note in its task data), the
incident message, and any task, timer or wait row still left. What stays, as a tombstone: the
row's ids, version (program key and version), unit, resident, owner, start and end dates and
status, with ``purged_at`` set; the history (``instance_event``, which never holds task data)
gains a "purged" event. Statistics and the audit trail go on working.

Only finished instances are touched, and the guard is in the UPDATE itself (status and
``purged_at``), so a running or paused instance is never changed, however the ids were chosen,
and a second purge of the same id changes nothing. Each call is one batch: the caller commits
between batches, so no row is held longer than one batch. The engine flushes; never commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from engine import clock
from engine.db import db
from engine.models import EventWait, HumanTask, InstanceEvent, ProcessInstance, ProgramVersion, Timer

FINISHED = ("completed", "cancelled", "ended")
PURGED_STATE = b""


@dataclass(frozen=True)
class EndedProgram:
    """An ended, not yet purged program: no health data, only what the rules decide by."""

    instance_id: str
    unit_id: str | None
    subject_id: str | None
    owner_id: str | None
    program_key: str
    program_name: str
    kind: str
    ended_at: datetime


def ended_programs(unit_ids, *, subject_id: str | None = None, owner_id: str | None = None,
                   after_id: str = "", limit: int | None = None) -> list[EndedProgram]:
    """Finished, unpurged, real (not test) program instances on ``unit_ids``, in id order after
    ``after_id`` (a batch cursor). Platform processes (program.json kind "platform") are left out."""
    units = sorted(set(unit_ids))
    if not units:
        return []
    stmt = (select(ProcessInstance.id, ProcessInstance.unit_id, ProcessInstance.subject_id,
                   ProcessInstance.owner_id, ProcessInstance.ended_at, ProgramVersion.meta, ProgramVersion.name)
            .join(ProgramVersion, ProgramVersion.content_hash == ProcessInstance.version_hash)
            .where(ProcessInstance.unit_id.in_(units), ProcessInstance.status.in_(FINISHED),
                   ProcessInstance.purged_at.is_(None), ProcessInstance.is_test.is_(False),
                   ProcessInstance.id > after_id)
            .order_by(ProcessInstance.id))
    if subject_id is not None:
        stmt = stmt.where(ProcessInstance.subject_id == subject_id)
    if owner_id is not None:
        stmt = stmt.where(ProcessInstance.owner_id == owner_id)
    found = []
    for row in db.session.execute(stmt.limit(limit) if limit else stmt):
        meta = row.meta or {}
        kind = str(meta.get("kind") or "treatment")
        if kind == "platform":
            continue
        found.append(EndedProgram(row.id, row.unit_id, row.subject_id, row.owner_id,
                                  str(meta.get("id") or row.name), row.name, kind,
                                  row.ended_at or clock.now()))
    return found


def purge_instances(instance_ids, actor_id: str = "system") -> dict:
    """Purge the working material of these finished instances (one batch); returns counts:
    ``programs`` purged now, and the ``tasks``, ``timers`` and ``waits`` rows removed with them.
    Ids that are running, paused, already purged or unknown are skipped."""
    ids = sorted(set(instance_ids))
    counts = {"programs": 0, "tasks": 0, "timers": 0, "waits": 0}
    if not ids:
        return counts
    now = clock.now()
    table = ProcessInstance.__table__
    purged = list(db.session.execute(
        update(table)
        .where(table.c.id.in_(ids), table.c.status.in_(FINISHED), table.c.purged_at.is_(None))
        .values(state=PURGED_STATE, index_keys={}, incident_message=None, purged_at=now,
                lock_version=table.c.lock_version + 1)
        .returning(table.c.id)).scalars())
    if not purged:
        return counts
    counts["programs"] = len(purged)
    for name, model in (("tasks", HumanTask), ("timers", Timer), ("waits", EventWait)):
        counts[name] = db.session.execute(delete(model).where(model.instance_id.in_(purged))).rowcount or 0
    db.session.execute(insert(InstanceEvent.__table__), [
        {"instance_id": instance_id, "at": now, "kind": "purged", "actor_id": actor_id} for instance_id in purged])
    # The ORM may hold these rows from before: read them anew after this statement.
    for instance_id in purged:
        cached = db.session.identity_map.get((ProcessInstance, (instance_id,), None))
        if cached is not None:
            db.session.expire(cached)
    return counts


def is_purged(instance_id: str) -> bool:
    return db.session.scalar(select(ProcessInstance.purged_at).where(ProcessInstance.id == instance_id)) is not None


def still_held(pairs) -> set[tuple[str, str]]:
    """Of these (subject, unit) pairs, those where the person still has an unpurged real program
    on the unit (running, paused or ended but not yet purged): their conversation stays."""
    wanted = {(s, u) for s, u in pairs if s and u}
    if not wanted:
        return set()
    rows = db.session.execute(
        select(ProcessInstance.subject_id, ProcessInstance.unit_id).distinct()
        .where(ProcessInstance.subject_id.in_(sorted({s for s, _ in wanted})),
               ProcessInstance.unit_id.in_(sorted({u for _, u in wanted})),
               ProcessInstance.purged_at.is_(None), ProcessInstance.is_test.is_(False)))
    return {(r.subject_id, r.unit_id) for r in rows} & wanted
