"""Who hears of a support case, with fixed texts only (never the question or the answer): the
handlers of the step it waits for when it arrives there, again when that step's reminder timer fires
(nobody has taken it on in time), and the requester when it is answered."""
from __future__ import annotations

from sqlalchemy import select

import engine
from access.models import RoleGrant, Staff
from engine.db import db
from notify import incidents as incident_notices
from notify import outbox
from support import rules
from support.models import SupportCase

# The reminder timer on each handling step (workflows/support_case/support_case.bpmn).
REMINDERS = {"remind_local": rules.LOCAL, "remind_publisher": rules.PUBLISHER, "remind_national": rules.NATIONAL}


def handlers(case: SupportCase, step: str | None) -> list:
    """The real, active staff who may handle ``step`` of the case."""
    if step == rules.NATIONAL:
        return incident_notices.handlers()  # national management, as for incidents
    if step == rules.LOCAL and case.care_provider_id:
        roles, scope_type, scope_id = ("vardgivaradmin",), "care_provider", case.care_provider_id
    elif step == rules.PUBLISHER and case.publisher_unit_id:
        roles, scope_type, scope_id = rules.CONTENT_ROLES, "publisher_unit", case.publisher_unit_id
    else:
        return []
    return list(db.session.scalars(select(Staff).join(RoleGrant, RoleGrant.staff_id == Staff.id).where(
        RoleGrant.role.in_(roles), RoleGrant.scope_type == scope_type, RoleGrant.scope_id == scope_id,
        RoleGrant.revoked_at.is_(None), Staff.active.is_(True), Staff.is_test.is_(False)).distinct()))


def arrived(case: SupportCase, step: str | None) -> list[str]:
    ids = []
    for staff in handlers(case, step):
        ids += outbox.enqueue("staff", staff, "support_case_new", f"support:{case.id}:{step}:{staff.id}")
    return ids


def answered(case: SupportCase) -> list[str]:
    requester = db.session.get(Staff, case.requester_id)
    if requester is None or requester.is_test:
        return []
    return outbox.enqueue("staff", requester, "support_case_update", f"support:{case.id}:answered")


def after_timer(instance_id: str) -> list[str]:
    """The outbox ids of the reminders the instance's fired timers call for, while their step still
    waits (none for other instances); once per step and person."""
    case = db.session.scalar(select(SupportCase).where(SupportCase.instance_id == instance_id))
    if case is None:
        return []
    fired = {e.element_id for e in engine.history(instance_id) if e.kind == "timer_fired"}
    waiting = {t.element_id for t in engine.ready_tasks(instance_id)}
    ids = []
    for timer, step in REMINDERS.items():
        if timer in fired and step in waiting:
            for staff in handlers(case, step):
                ids += outbox.enqueue("staff", staff, "reminder", f"support_reminder:{case.id}:{step}:{staff.id}")
    return ids
