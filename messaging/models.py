"""One message in the conversation between a resident and a care unit."""
from __future__ import annotations

import uuid

from engine import clock
from engine.db import UtcDateTime, db

MAX_BODY = 5000


class Message(db.Model):
    __tablename__ = "message"
    id = db.Column(db.String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    resident_id = db.Column(db.String(32), db.ForeignKey("resident.id"), nullable=False, index=True)
    unit_id = db.Column(db.String(32), db.ForeignKey("unit.id"), nullable=False, index=True)
    sender_type = db.Column(db.String(16), nullable=False)  # staff | resident | child
    sender_id = db.Column(db.String(32), nullable=False)
    body = db.Column(db.Text, nullable=False)
    created_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    read_at = db.Column(UtcDateTime)
