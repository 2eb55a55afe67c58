"""Writing and reading a conversation. Callers decide access (access.policy) and write the PDL
row; this module only keeps the messages. Functions flush, never commit."""
from __future__ import annotations

from sqlalchemy import func, select, update

import engine
from engine import clock
from engine.db import db
from messaging.models import MAX_BODY, Message


class MessageRefused(ValueError):
    pass


def write(resident_id: str, unit_id: str, sender_type: str, sender_id: str, body: str) -> Message:
    text = (body or "").strip()
    if not text:
        raise MessageRefused("empty")
    if len(text) > MAX_BODY:
        raise MessageRefused("too_long")
    message = Message(resident_id=resident_id, unit_id=unit_id, sender_type=sender_type, sender_id=sender_id,
                      body=text, created_at=clock.now())
    db.session.add(message)
    db.session.flush()
    return message


def write_from_resident(resident_id: str, unit_id: str, sender_type: str, body: str) -> tuple[Message, list]:
    """A resident's (or their child's) message to a unit, and the engine outcomes of their programs
    on that unit that waited for it (``vardflode.resident_message``), in the same transaction. The
    program hears only that a message came and when, never its text."""
    message = write(resident_id, unit_id, sender_type, resident_id, body)
    return message, engine.resident_message_sent(resident_id, unit_id)


def thread(resident_id: str, unit_id: str | None = None, limit: int = 200) -> list[Message]:
    stmt = select(Message).where(Message.resident_id == resident_id)
    if unit_id is not None:
        stmt = stmt.where(Message.unit_id == unit_id)
    return list(db.session.scalars(stmt.order_by(Message.created_at.desc()).limit(limit)))[::-1]


def mark_read(resident_id: str, unit_id: str | None, reader_type: str) -> None:
    """Messages from the other side count as read once the reader has seen the thread."""
    stmt = update(Message).where(Message.resident_id == resident_id, Message.read_at.is_(None),
                                 Message.sender_type != reader_type)
    if reader_type == "child":
        stmt = stmt.where(Message.sender_type != "resident")
    if unit_id is not None:
        stmt = stmt.where(Message.unit_id == unit_id)
    db.session.execute(stmt.values(read_at=clock.now()))


def unread_from_residents(unit_id: str) -> dict[str, int]:
    """Unread messages per resident on a unit, for the clinician's task list."""
    rows = db.session.execute(select(Message.resident_id, func.count()).where(
        Message.unit_id == unit_id, Message.read_at.is_(None), Message.sender_type.in_(("resident", "child")))
        .group_by(Message.resident_id))
    return dict(rows.all())
