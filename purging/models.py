"""The purge tables: the care provider's rule per program kind, the clinician's confirmation that
what matters is in the record, and one report per purge run (counts only, never health data)."""
from __future__ import annotations

import uuid

from engine import clock
from engine.db import UtcDateTime, db

# What a run does, in order: planned (waiting for its timer), purging (batches), done.
RUN_STATES = ("planned", "purging", "done")


def _opaque_id() -> str:
    return uuid.uuid4().hex


class PurgeRule(db.Model):
    """When an ended program of one kind (program.json "kind") at one care provider is purged:
    after the clinician's confirmation that it is in the record (R46) and/or ``days`` after its
    end. No row: the default of purging.rules.DEFAULTS."""

    __tablename__ = "purge_rule"
    id = db.Column(db.Integer, primary_key=True)
    care_provider_id = db.Column(db.String(32), db.ForeignKey("care_provider.id"), nullable=False)
    program_kind = db.Column(db.String(32), nullable=False)
    needs_confirmation = db.Column(db.Boolean, nullable=False)
    days = db.Column(db.Integer, nullable=False)
    updated_by = db.Column(db.String(32))
    updated_at = db.Column(UtcDateTime, nullable=False, default=clock.now)

    __table_args__ = (db.UniqueConstraint("care_provider_id", "program_kind"),)


class JournalTransfer(db.Model):
    """A clinician confirmed that what is essential in an ended program is in the record (R46)."""

    __tablename__ = "journal_transfer"
    instance_id = db.Column(db.String(32), primary_key=True)
    confirmed_by = db.Column(db.String(32), nullable=False)
    confirmed_at = db.Column(UtcDateTime, nullable=False, default=clock.now)


class PurgeRun(db.Model):
    """One purge run of one care provider and its report: what was planned and what went, as
    counts. The run's process instance is the shipped ``purge`` process."""

    __tablename__ = "purge_run"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    care_provider_id = db.Column(db.String(32), db.ForeignKey("care_provider.id"), nullable=False, index=True)
    instance_id = db.Column(db.String(32), index=True)
    state = db.Column(db.String(16), nullable=False, default="planned", index=True)
    due_at = db.Column(UtcDateTime, nullable=False)
    started_at = db.Column(UtcDateTime)
    finished_at = db.Column(UtcDateTime)
    planned = db.Column(db.Integer, nullable=False, default=0)  # programs listed when the run began
    counts = db.Column(db.JSON, nullable=False, default=dict)  # what went: programs, messages, ...
    batches = db.Column(db.Integer, nullable=False, default=0)
    cursor = db.Column(db.String(32), nullable=False, default="")  # the last instance id looked at
