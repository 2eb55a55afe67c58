"""One audit trail per program (R77): every lifecycle step – submitted, sent back, rejected,
approved, published, activated, deactivated, moved – with actor, role, unit and time, readable
per program key. Ids and codes only, never health data."""
from __future__ import annotations

from sqlalchemy import select

from catalogue.models import AuditEvent
from engine import clock
from engine.db import db

KINDS = ("submitted", "sent_back", "rejected", "approved", "published", "activated", "deactivated", "moved")


def record(program_key: str, kind: str, actor_id: str | None, role: str | None, unit_id: str | None,
           version_hash: str | None = None, detail: str | None = None) -> AuditEvent:
    if kind not in KINDS:
        raise ValueError(f"not a lifecycle step: {kind}")
    event = AuditEvent(program_key=program_key, at=clock.now(), kind=kind, actor_id=actor_id, role=role,
                       unit_id=unit_id, version_hash=version_hash, detail=(detail or None) and detail[:1000])
    db.session.add(event)
    db.session.flush()
    return event


def trail(program_key: str) -> list[AuditEvent]:
    """The program's lifecycle, oldest first."""
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.program_key == program_key)
                                   .order_by(AuditEvent.at, AuditEvent.id)))
