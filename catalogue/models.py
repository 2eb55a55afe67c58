"""The content catalogue (innehållskatalogen): one entry per published program version, and which
care units have a program activated (R24, R25). Entries never change once published, like the
versions they describe; an activation is changed in place and ended by deactivation."""
from __future__ import annotations

import uuid

from engine import clock
from engine.db import UtcDateTime, db


def _opaque_id() -> str:
    return uuid.uuid4().hex


class CatalogueEntry(db.Model):
    """A published program version with what a care provider needs to decide on activation."""

    __tablename__ = "catalogue_entry"
    version_hash = db.Column(db.String(64), db.ForeignKey("program_version.content_hash"), primary_key=True)
    # The program's stable id across versions (program.json "id"); versions share it.
    program_key = db.Column(db.String(100), nullable=False, index=True)
    version_label = db.Column(db.String(20), nullable=False)  # "MAJOR.MINOR"
    major = db.Column(db.Integer, nullable=False)
    minor = db.Column(db.Integer, nullable=False)
    name = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.String(32), nullable=False)
    languages = db.Column(db.JSON, nullable=False, default=list)
    # R46: what must go to the medical record; None means the program declared nothing.
    journal_items = db.Column(db.JSON)
    open_program = db.Column(db.Boolean, nullable=False, default=False)
    publisher_unit_id = db.Column(db.String(32), db.ForeignKey("publisher_unit.id"), nullable=False, index=True)
    published_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    published_by = db.Column(db.String(32), nullable=False)

    __table_args__ = (db.UniqueConstraint("program_key", "major", "minor"),)


class Activation(db.Model):
    """A program in use on a care unit; ``version_hash`` is the version chosen for new starts
    (newer minor versions of its major version are used automatically)."""

    __tablename__ = "activation"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    unit_id = db.Column(db.String(32), db.ForeignKey("unit.id"), nullable=False, index=True)
    program_key = db.Column(db.String(100), nullable=False, index=True)
    version_hash = db.Column(db.String(64), db.ForeignKey("catalogue_entry.version_hash"), nullable=False)
    activated_by = db.Column(db.String(32), nullable=False)
    activated_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    deactivated_by = db.Column(db.String(32))
    deactivated_at = db.Column(UtcDateTime)


class Approval(db.Model):
    """The recorded approval of exactly one version (its content hash): nothing reaches the
    catalogue without one (catalogue/approvals.py). Four eyes: the approver is neither the
    submitter nor anyone who saved a revision of the draft."""

    __tablename__ = "catalogue_approval"
    version_hash = db.Column(db.String(64), db.ForeignKey("program_version.content_hash"), primary_key=True)
    publisher_unit_id = db.Column(db.String(32), db.ForeignKey("publisher_unit.id"), nullable=False)
    program_key = db.Column(db.String(100), nullable=False)
    version_label = db.Column(db.String(20), nullable=False)
    change_kind = db.Column(db.String(8), nullable=False)  # "minor" | "major"
    release_notes = db.Column(db.Text, nullable=False)
    submitted_by = db.Column(db.String(32), nullable=False)
    approved_by = db.Column(db.String(32), nullable=False)
    approved_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    process_instance_id = db.Column(db.String(32))  # the publishing_approval instance that decided


class AuditEvent(db.Model):
    """One step in a program's lifecycle (R77), readable per program: who, in which role and unit,
    when, which version. Never health data."""

    __tablename__ = "program_audit"
    id = db.Column(db.Integer, primary_key=True)
    program_key = db.Column(db.String(100), nullable=False, index=True)
    at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    kind = db.Column(db.String(32), nullable=False)
    actor_id = db.Column(db.String(32))
    role = db.Column(db.String(32))
    unit_id = db.Column(db.String(32))
    version_hash = db.Column(db.String(64))
    detail = db.Column(db.String(1000))
