"""The draft store's tables: a design program of a publisher unit, its revisions, and the file
contents they share. A revision never changes once written; the program row only moves its head."""
from __future__ import annotations

import uuid

from engine import clock
from engine.db import UtcDateTime, db

STATES = ("draft", "in_review", "published")


def _opaque_id() -> str:
    return uuid.uuid4().hex


class DesignProgram(db.Model):
    __tablename__ = "design_program"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    publisher_unit_id = db.Column(db.String(32), db.ForeignKey("publisher_unit.id"), nullable=False, index=True)
    name = db.Column(db.String(200), nullable=False)
    state = db.Column(db.String(16), nullable=False, default="draft")
    # No foreign key: program and revision would point at each other, which needs a deferred
    # constraint on PostgreSQL and a table rebuild on SQLite; the store writes both in one flush.
    head_revision_id = db.Column(db.String(64))
    created_by = db.Column(db.String(32), nullable=False)
    created_at = db.Column(UtcDateTime, nullable=False, default=clock.now)


class DesignBlob(db.Model):
    """One file content, stored once however many revisions and programs hold it."""

    __tablename__ = "design_blob"
    sha256 = db.Column(db.String(64), primary_key=True)
    size = db.Column(db.Integer, nullable=False)
    data = db.Column(db.LargeBinary, nullable=False)


class DesignRevision(db.Model):
    """One save. ``id`` is the SHA-256 over the package's content hash, the parent and the program
    (design/revisions.py), so it names what was saved and where from; ``files`` maps each path
    to the hash of its blob."""

    __tablename__ = "design_revision"
    id = db.Column(db.String(64), primary_key=True)
    program_id = db.Column(db.String(32), db.ForeignKey("design_program.id"), nullable=False, index=True)
    parent_id = db.Column(db.String(64), db.ForeignKey("design_revision.id"))
    content_hash = db.Column(db.String(64), nullable=False)  # engine.content_hash over every file
    files = db.Column(db.JSON, nullable=False)
    author = db.Column(db.String(32), nullable=False)
    message = db.Column(db.String(500))
    created_at = db.Column(UtcDateTime, nullable=False, default=clock.now)


class DesignTestRun(db.Model):
    """A test run (R21): a test instance of one draft revision, for a test resident with a test
    clinician, started by a designer. The instance keeps its own clock (engine/testclock.py)."""

    __tablename__ = "design_test_run"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    program_id = db.Column(db.String(32), db.ForeignKey("design_program.id"), nullable=False, index=True)
    revision_id = db.Column(db.String(64), db.ForeignKey("design_revision.id"), nullable=False, index=True)
    instance_id = db.Column(db.String(32), db.ForeignKey("process_instance.id", ondelete="CASCADE"), nullable=False)
    resident_id = db.Column(db.String(32), nullable=False)
    clinician_id = db.Column(db.String(32), nullable=False)
    started_by = db.Column(db.String(32), nullable=False)
    started_at = db.Column(UtcDateTime, nullable=False, default=clock.now)



COVERAGE_SOURCES = ("scenarios", "test_run")


class DesignCoverage(db.Model):
    """What one source took of a revision's paths (design/coverage.py): the revision's last
    "Kör alla scenarier" (source_id empty; replaced on every run) or one test run (source_id
    its design_test_run id; refreshed after each step). Element and flow ids as JSON lists."""

    __tablename__ = "design_coverage"
    __table_args__ = (db.UniqueConstraint("revision_id", "source_kind", "source_id"),)
    id = db.Column(db.Integer, primary_key=True, autoincrement=True)
    revision_id = db.Column(db.String(64), db.ForeignKey("design_revision.id"), nullable=False, index=True)
    source_kind = db.Column(db.String(16), nullable=False)
    source_id = db.Column(db.String(32), nullable=False, default="")
    elements = db.Column(db.JSON, nullable=False)
    flows = db.Column(db.JSON, nullable=False)
    computed_at = db.Column(UtcDateTime, nullable=False, default=clock.now)


class DesignSubmission(db.Model):
    """A revision sent for review (design/publishing.py): frozen, with the release notes, the
    proposed version label and change kind, and the publishing_approval instance deciding it."""

    __tablename__ = "design_submission"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    program_id = db.Column(db.String(32), db.ForeignKey("design_program.id"), nullable=False, index=True)
    revision_id = db.Column(db.String(64), db.ForeignKey("design_revision.id"), nullable=False)
    version_hash = db.Column(db.String(64), nullable=False)  # the stored version: the reviewed bytes
    base_version_hash = db.Column(db.String(64))  # the published version it is compared with
    version_label = db.Column(db.String(20), nullable=False)
    release_notes = db.Column(db.Text, nullable=False)
    proposed_kind = db.Column(db.String(8), nullable=False)
    proposed_reason = db.Column(db.Text, nullable=False)
    # submitted | sent_back | resubmitted | rejected | published
    state = db.Column(db.String(16), nullable=False, default="submitted")
    instance_id = db.Column(db.String(32))
    submitted_by = db.Column(db.String(32), nullable=False)
    submitted_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    decided_by = db.Column(db.String(32))
    decided_at = db.Column(UtcDateTime)
    chosen_kind = db.Column(db.String(8))
    comment = db.Column(db.Text)


class DesignImportReport(db.Model):
    """What the platform does not run of a BPMN file imported from another tool, kept with the
    draft's first revision (design/import_report.py). Kept, not recomputed: the settings removed on
    import are no longer in the revision's files. ``entries``: [{element, kind, name, findings}]."""

    __tablename__ = "design_import_report"
    revision_id = db.Column(db.String(64), db.ForeignKey("design_revision.id"), primary_key=True)
    program_id = db.Column(db.String(32), db.ForeignKey("design_program.id"), nullable=False, index=True)
    source_name = db.Column(db.String(200), nullable=False)
    entries = db.Column(db.JSON, nullable=False)
    created_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
