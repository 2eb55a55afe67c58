"""The outbox: one row per message to send. The row is written in the same transaction as the
event that causes it, and sent only after that transaction has committed."""
from __future__ import annotations

import uuid

from engine import clock
from engine.db import UtcDateTime, db

CHANNELS = ("email", "sms")
STATUSES = ("pending", "sent", "failed")


def _opaque_id() -> str:
    return uuid.uuid4().hex


class OutboxMessage(db.Model):
    """A notification on its way. ``subject`` and ``body`` come from notify.texts only, so the
    table never holds names, programs or diagnoses; ``last_error`` holds an error class, never
    the server's reply (which may echo the address)."""

    __tablename__ = "outbox_message"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    channel = db.Column(db.String(8), nullable=False)
    recipient = db.Column(db.String(200), nullable=False)
    # The resident or staff id the address was taken from, so erasure can find the rows.
    recipient_id = db.Column(db.String(32), index=True)
    kind = db.Column(db.String(32), nullable=False)
    locale = db.Column(db.String(8), nullable=False)
    subject = db.Column(db.String(200), nullable=False)
    body = db.Column(db.String(1000), nullable=False)
    dedupe_key = db.Column(db.String(200), nullable=False)
    status = db.Column(db.String(8), nullable=False, default="pending")
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.String(200))
    created_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    next_attempt_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    # When the sweep last sent a wake-up; one older than the resend time is sent again.
    enqueued_at = db.Column(UtcDateTime)
    sent_at = db.Column(UtcDateTime)

    __table_args__ = (
        # Per channel: one event gives at most one e-mail and one SMS, however often it is enqueued.
        db.UniqueConstraint("dedupe_key", "channel"),
        db.CheckConstraint("channel IN ('email', 'sms')", name="channel"),
        db.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
        # What the sweep scans: pending rows by due time.
        db.Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
    )
