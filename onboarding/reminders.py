"""Reminders and escalations of an onboarding case, sent when the process's timers fire: five
working days without action reminds whoever must act (national management for a review, the
applicant for a completion); ten working days escalates to the national management lead
(förvaltningsledare; the whole team while none is appointed, access/national.py). The fixed
"reminder" text: no names, no organisation. Each firing is one message per person (the dedupe key is the history
event's id), so a timer fired again or a redelivered wake-up sends nothing twice."""
from __future__ import annotations

from sqlalchemy import and_, select

import engine
from access import national
from access.models import RoleGrant, Staff
from engine.db import db
from notify import outbox
from onboarding.models import OnboardingApplication

REMINDERS = {"review_reminder": "national", "final_reminder": "national", "completion_reminder": "applicant"}
ESCALATIONS = {"review_escalation", "final_escalation", "completion_escalation"}


def enqueue_for(instance_id: str) -> list[str]:
    """The outbox ids queued for the reminders and escalations that have fired in the instance
    (none if it is not an onboarding case)."""
    found = db.session.scalar(select(OnboardingApplication).where(OnboardingApplication.instance_id == instance_id))
    if found is None:
        return []
    queued = []
    for event in engine.history(instance_id):
        if event.kind != "timer_fired" or (event.element_id not in REMINDERS and event.element_id not in ESCALATIONS):
            continue
        for staff in _recipients(found, event.element_id):
            queued += outbox.enqueue("staff", staff, "reminder", f"onboarding:{event.id}:{staff.id}")
    return queued


def _recipients(found: OnboardingApplication, element_id: str) -> list[Staff]:
    if REMINDERS.get(element_id) == "applicant":
        applicant = db.session.get(Staff, found.applicant_id)
        return [applicant] if applicant is not None and applicant.active else []
    if element_id in ESCALATIONS:
        return national.escalation_recipients()
    return national_management()


def national_management() -> list[Staff]:
    return list(db.session.scalars(
        select(Staff).join(RoleGrant, and_(RoleGrant.staff_id == Staff.id, RoleGrant.role == "nationell_forvaltning",
                                           RoleGrant.revoked_at.is_(None)))
        .where(Staff.active.is_(True), Staff.is_test.is_(False)).order_by(Staff.id)))
