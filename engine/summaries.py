"""Read-side summaries of program instances: plain frozen rows for task lists, program pages and
statistics, so that nothing outside the engine reads its tables. Never the workflow state."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engine.db import db
from engine.models import ProcessInstance, ProgramVersion


@dataclass(frozen=True)
class InstanceSummary:
    """One program instance as lists and counts see it: whose, where, how far, which program."""

    id: str
    subject_id: str | None
    unit_id: str | None
    owner_id: str | None
    status: str
    version_hash: str
    program_name: str
    is_test: bool
    created_at: datetime
    ended_at: datetime | None


_COLUMNS = (ProcessInstance.id, ProcessInstance.subject_id, ProcessInstance.unit_id, ProcessInstance.owner_id,
            ProcessInstance.status, ProcessInstance.version_hash, ProgramVersion.name, ProcessInstance.is_test,
            ProcessInstance.created_at, ProcessInstance.ended_at)


def _summaries(*conditions) -> list[InstanceSummary]:
    stmt = (select(*_COLUMNS).join(ProgramVersion, ProgramVersion.content_hash == ProcessInstance.version_hash)
            .where(*conditions).order_by(ProcessInstance.created_at, ProcessInstance.id))
    return [InstanceSummary(*row) for row in db.session.execute(stmt)]


def instance_summaries(instance_ids) -> dict[str, InstanceSummary]:
    """Summarise the given instances by id; unknown ids are left out."""
    ids = {i for i in instance_ids if i}
    return {s.id: s for s in _summaries(ProcessInstance.id.in_(ids))} if ids else {}


def instance_summary(instance_id: str) -> InstanceSummary | None:
    """Summarise one instance, or None when there is no such instance."""
    return instance_summaries([instance_id]).get(instance_id)


def instances_on_units(unit_ids, *, include_test: bool = False) -> list[InstanceSummary]:
    """Summarise every instance run on the given units, oldest first; test runs only when asked."""
    ids = {i for i in unit_ids if i}
    if not ids:
        return []
    conditions = [ProcessInstance.unit_id.in_(ids)]
    if not include_test:
        conditions.append(ProcessInstance.is_test.is_(False))
    return _summaries(*conditions)
