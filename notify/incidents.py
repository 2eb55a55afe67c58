"""Incident notifications (R57–R62) with the fixed texts: the reporter hears that their case reached
a new stage, national management that a case came in. Never what happened, never a consequence."""
from __future__ import annotations

from sqlalchemy import select

from engine.db import db
from notify import outbox


def stage_reached(reporter_id: str, incident_id: str, stage: str) -> list[str]:
    """One message per stage per case; the ids of new outbox rows."""
    from access.models import Staff  # people live in access; imported late to keep notify light
    staff = db.session.get(Staff, reporter_id)
    if staff is None or staff.is_test or not staff.email:
        return []
    return outbox.enqueue("staff", staff, "incident_update", f"incident:{incident_id}:{stage}")


def handlers() -> list:
    """Everyone in national management (the manufacturer's side), real and active."""
    from access.models import RoleGrant, Staff
    return list(db.session.scalars(select(Staff).join(RoleGrant, RoleGrant.staff_id == Staff.id).where(
        RoleGrant.role == "nationell_forvaltning", RoleGrant.scope_type == "platform",
        RoleGrant.revoked_at.is_(None), Staff.active.is_(True), Staff.is_test.is_(False)).distinct()))


def case_reported(incident_id: str) -> list[str]:
    """Everyone in national management hears that a case came in."""
    ids = []
    for staff in handlers():
        if staff.email:
            ids += outbox.enqueue("staff", staff, "incident_reported", f"incident_reported:{incident_id}:{staff.id}")
    return ids
