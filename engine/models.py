"""Engine tables: immutable program versions, instance state, and the index tables kept in sync
with that state in the same transaction (human tasks, timers, message waits) plus history."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from engine import clock
from engine.db import UtcDateTime, db


def _opaque_id() -> str:
    return uuid.uuid4().hex


class ProgramVersion(db.Model):
    """A checked program package, immutable, addressed by the hash of its content."""

    __tablename__ = "program_version"
    content_hash = db.Column(db.String(64), primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    main_process = db.Column(db.String(200), nullable=False)
    meta = db.Column(db.JSON, nullable=False, default=dict)
    files = db.Column(db.JSON, nullable=False)
    spec_json = db.Column(db.Text, nullable=False)
    task_roles = db.Column(db.JSON, nullable=False)
    task_forms = db.Column(db.JSON, nullable=False)
    task_names = db.Column(db.JSON, nullable=False)
    created_at = db.Column(UtcDateTime, nullable=False, default=clock.now)


class ProcessInstance(db.Model):
    """One running (or finished) process: its own serialized state, pinned to one version."""

    __tablename__ = "process_instance"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    version_hash = db.Column(db.String(64), db.ForeignKey("program_version.content_hash"), nullable=False)
    process_id = db.Column(db.String(200), nullable=False)
    status = db.Column(db.String(16), nullable=False, default="running", index=True)
    state = db.Column(db.LargeBinary, nullable=False)
    state_format = db.Column(db.SmallInteger, nullable=False, default=1)
    lock_version = db.Column(db.Integer, nullable=False)
    unit_id = db.Column(db.String(64))
    subject_id = db.Column(db.String(64), index=True)
    owner_id = db.Column(db.String(64))
    is_test = db.Column(db.Boolean, nullable=False, default=False)
    # A test run's own clock: how far it has been moved ahead of the platform's (engine/testclock.py).
    clock_offset_seconds = db.Column(db.BigInteger, nullable=False, default=0, server_default="0")
    # Which index rows (human_task, timer, event_wait) this state owns; see engine.index.
    index_keys = db.Column(db.JSON, nullable=False, default=dict)
    incident_element = db.Column(db.String(200))
    incident_message = db.Column(db.String(1000))
    created_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    updated_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    ended_at = db.Column(UtcDateTime)
    # Set when the working material was purged (purging/): the row stays as a tombstone (ids,
    # version, unit, dates) for statistics and the history; its state and task data are gone.
    purged_at = db.Column(UtcDateTime)

    __mapper_args__ = {"version_id_col": lock_version}


class HumanTask(db.Model):
    """A READY user or manual task: what task lists query, never the serialized state."""

    __tablename__ = "human_task"
    id = db.Column(db.String(36), primary_key=True)  # the SpiffWorkflow task id
    instance_id = db.Column(db.String(32), db.ForeignKey("process_instance.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    element_id = db.Column(db.String(200), nullable=False)
    name = db.Column(db.String(300), nullable=False)
    role = db.Column(db.String(32), nullable=False)
    unit_id = db.Column(db.String(64))
    assignee_id = db.Column(db.String(64))
    form = db.Column(db.String(200))
    due_at = db.Column(UtcDateTime)
    # 0 high (a risk flag), 1 attention, 2 normal: set by the program through task data.
    priority = db.Column(db.SmallInteger, nullable=False, default=2, server_default="2")
    created_at = db.Column(UtcDateTime, nullable=False, default=clock.now)

    __table_args__ = (
        db.Index("ix_human_task_role_unit_priority_created", "role", "unit_id", "priority", "created_at"),
        db.Index("ix_human_task_assignee_created", "assignee_id", "created_at"),
    )


class Timer(db.Model):
    """A waiting timer event. The database, not the broker, is the source of truth for time."""

    __tablename__ = "timer"
    id = db.Column(db.Integer, primary_key=True)
    instance_id = db.Column(db.String(32), db.ForeignKey("process_instance.id", ondelete="CASCADE"),
                            nullable=False)
    task_id = db.Column(db.String(36), nullable=False)
    element_id = db.Column(db.String(200), nullable=False)
    due_at = db.Column(UtcDateTime, nullable=False, index=True)
    enqueued_at = db.Column(UtcDateTime)

    __table_args__ = (db.UniqueConstraint("instance_id", "task_id"),)


class DemoClock(db.Model):
    """How far the demo clock has been moved ahead (one row, id 1; VARDFLODE_DEMO_CLOCK only).
    In the database so the web processes, the worker and the scheduler all read the same time."""

    __tablename__ = "demo_clock"
    id = db.Column(db.Integer, primary_key=True)
    offset_seconds = db.Column(db.BigInteger, nullable=False, default=0)
    moved_at = db.Column(UtcDateTime)
    moved_by = db.Column(db.String(32))


class EventWait(db.Model):
    """A waiting message or signal catch event, with its correlation, for delivery from outside."""

    __tablename__ = "event_wait"
    id = db.Column(db.Integer, primary_key=True)
    instance_id = db.Column(db.String(32), db.ForeignKey("process_instance.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    kind = db.Column(db.String(16), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    correlation = db.Column(db.String(1000), nullable=False, default="{}")

    __table_args__ = (db.Index("ix_event_wait_kind_name", "kind", "name", "correlation"),)


class InstanceEvent(db.Model):
    """History: what happened in an instance, when, where, by whom. Never task data."""

    __tablename__ = "instance_event"
    id = db.Column(db.Integer, primary_key=True)
    instance_id = db.Column(db.String(32), db.ForeignKey("process_instance.id", ondelete="CASCADE"),
                            nullable=False, index=True)
    at = db.Column(UtcDateTime, nullable=False)
    kind = db.Column(db.String(32), nullable=False)
    element_id = db.Column(db.String(200))
    element_name = db.Column(db.String(300))
    role = db.Column(db.String(32))
    actor_id = db.Column(db.String(64))
    detail = db.Column(db.String(1000))


def utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
