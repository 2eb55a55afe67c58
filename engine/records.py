"""Plain records of engine rows for everyone outside the engine: frozen copies, never ORM rows, so
no caller can change an engine table behind the engine's back or lazy-load from it later."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime

from engine.models import InstanceEvent, ProcessInstance, ProgramVersion


@dataclass(frozen=True)
class Version:
    """A stored program version, without its files and parsed spec."""

    content_hash: str
    name: str
    main_process: str
    meta: dict
    created_at: datetime


@dataclass(frozen=True)
class Instance:
    """One process instance as it stands, without its serialized state."""

    id: str
    version_hash: str
    process_id: str
    status: str
    unit_id: str | None
    subject_id: str | None
    owner_id: str | None
    is_test: bool
    lock_version: int
    incident_element: str | None
    incident_message: str | None
    created_at: datetime
    updated_at: datetime
    ended_at: datetime | None
    purged_at: datetime | None = None  # the working material was purged: only the tombstone is left


@dataclass(frozen=True)
class Event:
    """One line of an instance's history: what happened, when, where and by whom."""

    id: int
    instance_id: str
    at: datetime
    kind: str
    element_id: str | None
    element_name: str | None
    role: str | None
    actor_id: str | None
    detail: str | None


@dataclass(frozen=True)
class ProgramItem:
    """One of a person's programs as a list shows it: the instance, its program's name, where and when."""

    id: str
    program: str
    status: str
    unit_id: str | None
    created_at: datetime


def version_of(row: ProgramVersion) -> Version:
    """Copy a version row (its metadata too: the row's JSON stays the engine's)."""
    return Version(row.content_hash, row.name, row.main_process, copy.deepcopy(row.meta or {}), row.created_at)


def instance_of(row: ProcessInstance) -> Instance:
    """Copy an instance row, leaving its state behind."""
    return Instance(row.id, row.version_hash, row.process_id, row.status, row.unit_id, row.subject_id,
                    row.owner_id, row.is_test, row.lock_version, row.incident_element, row.incident_message,
                    row.created_at, row.updated_at, row.ended_at, row.purged_at)


def event_of(row: InstanceEvent) -> Event:
    """Copy a history row."""
    return Event(row.id, row.instance_id, row.at, row.kind, row.element_id, row.element_name, row.role,
                 row.actor_id, row.detail)
