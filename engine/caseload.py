"""Whose programs run where: what access control, the catalogue and people's own pages ask of the
instances, answered as ids and plain records."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import exists, select

from engine.db import db
from engine.lifecycle import OPEN_STATUSES
from engine.models import ProcessInstance, ProgramVersion
from engine.records import ProgramItem

_PROGRAMS = (select(ProcessInstance.id, ProgramVersion.name, ProcessInstance.status, ProcessInstance.unit_id,
                    ProcessInstance.created_at)
             .join(ProgramVersion, ProgramVersion.content_hash == ProcessInstance.version_hash))


def programs_of(subject_id: str, unit_id: str | None = None) -> list[ProgramItem]:
    """The person's programs, newest first; only those on ``unit_id`` when it is given."""
    stmt = _PROGRAMS.where(ProcessInstance.subject_id == subject_id)
    if unit_id is not None:
        stmt = stmt.where(ProcessInstance.unit_id == unit_id)
    return [ProgramItem(*row) for row in db.session.execute(stmt.order_by(ProcessInstance.created_at.desc()))]


def has_program_on(subject_id: str, unit_id: str) -> bool:
    """Whether the person has a program, in any status, on the unit."""
    return bool(db.session.scalar(select(exists().where(ProcessInstance.subject_id == subject_id,
                                                        ProcessInstance.unit_id == unit_id))))


def subjects_with_program_on(subject_ids, unit_id: str) -> frozenset[str]:
    """Of ``subject_ids``, the people who have a program, in any status, on the unit."""
    ids = {i for i in subject_ids if i}
    if not ids:
        return frozenset()
    return frozenset(db.session.scalars(select(ProcessInstance.subject_id).distinct().where(
        ProcessInstance.unit_id == unit_id, ProcessInstance.subject_id.in_(ids))))


def subjects_on_unit(unit_id: str) -> frozenset[str]:
    """The people who have a program, in any status, on the unit."""
    stmt = (select(ProcessInstance.subject_id).distinct()
            .where(ProcessInstance.unit_id == unit_id, ProcessInstance.subject_id.is_not(None)))
    return frozenset(db.session.scalars(stmt))


def units_of(subject_id: str) -> frozenset[str]:
    """The units the person has a program on, in any status."""
    stmt = (select(ProcessInstance.unit_id).distinct()
            .where(ProcessInstance.subject_id == subject_id, ProcessInstance.unit_id.is_not(None)))
    return frozenset(db.session.scalars(stmt))


def open_instance(subject_id: str, version_hashes: Iterable[str]) -> str | None:
    """One of the person's instances on these versions that has not ended (running, paused or
    stopped by an incident all still count as their ongoing program), or None."""
    return db.session.scalar(select(ProcessInstance.id).where(
        ProcessInstance.subject_id == subject_id, ProcessInstance.status.in_(OPEN_STATUSES),
        ProcessInstance.version_hash.in_(list(version_hashes))).limit(1))
