"""The meeting table: one row per opened meeting step (per loop round), and where its booking is."""
from __future__ import annotations

import uuid

from engine.db import UtcDateTime, db

# pending: not booked yet (the vendor did not answer; ``next_attempt_at`` is the next try);
# booked: the vendor has it; started/ended: the vendor's callbacks said so;
# cancelled: the step went away before the meeting; failed: the vendor refused it for good.
STATUSES = ("pending", "booked", "started", "ended", "cancelled", "failed")
# Why a meeting is not booked yet, as a code the screens translate (no vendor text is shown).
ERRORS = ("unreachable", "refused", "not_configured")


def _opaque_id() -> str:
    return uuid.uuid4().hex


class VideoMeeting(db.Model):
    __tablename__ = "video_meeting"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    task_id = db.Column(db.String(36), nullable=False, unique=True)  # the meeting step's human task
    instance_id = db.Column(db.String(36), nullable=False, index=True)
    element_id = db.Column(db.String(255), nullable=False)
    subject_id = db.Column(db.String(32), index=True)  # the resident
    clinician_id = db.Column(db.String(32), index=True)  # the responsible clinician when it opened
    unit_id = db.Column(db.String(32))
    kind = db.Column(db.String(16), nullable=False)
    starts_at = db.Column(UtcDateTime, nullable=False)
    ends_at = db.Column(UtcDateTime, nullable=False)
    status = db.Column(db.String(16), nullable=False, default="pending", index=True)
    vendor_meeting_id = db.Column(db.String(128), unique=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(UtcDateTime, index=True)
    enqueued_at = db.Column(UtcDateTime)
    last_error = db.Column(db.String(32))
    created_at = db.Column(UtcDateTime, nullable=False)
    updated_at = db.Column(UtcDateTime, nullable=False)
