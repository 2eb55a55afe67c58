"""Reminders when an incident's deadline passes (R58): the process's reminder timers fire in the
timer actor, which calls ``after_timer``; national management hears that triage is overdue, the
reporter that the report to Läkemedelsverket is. The fixed "reminder" text only, once per deadline."""
from __future__ import annotations

from sqlalchemy import select

import engine
from engine.db import db
from incidents.models import Incident
from notify import incidents as notices
from notify import outbox

TRIAGE_REMINDER, AGENCY_REMINDER = "remind_triage", "remind_lmv"


def after_timer(instance_id: str) -> list[str]:
    """The outbox ids of reminders the instance's fired timers call for (none for other instances)."""
    incident = db.session.scalar(select(Incident).where(Incident.instance_id == instance_id))
    if incident is None:
        return []
    fired = {e.element_id for e in engine.history(instance_id) if e.kind == "timer_fired"}
    ids = []
    if TRIAGE_REMINDER in fired:
        for staff in notices.handlers():
            ids += outbox.enqueue("staff", staff, "reminder", f"incident_reminder:{incident.id}:triage:{staff.id}")
    if AGENCY_REMINDER in fired and incident.lmv_sent_on is None:
        from access.models import Staff  # people live in access
        reporter = db.session.get(Staff, incident.reporter_id)
        if reporter is not None and not reporter.is_test:
            ids += outbox.enqueue("staff", reporter, "reminder", f"incident_reminder:{incident.id}:agency")
    return ids
