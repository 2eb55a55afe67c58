"""The reminder of a training interest or implementation-support request that has waited too long:
the process's reminder timer fires in the timer actor, which calls ``after_timer``; every member of
national management gets the fixed "reminder" text (no names, no organisation), once per case."""
from __future__ import annotations

from sqlalchemy import select

import engine
from community.models import CommunityRequest
from community.requests import REMINDER
from engine.db import db
from notify import outbox


def after_timer(instance_id: str) -> list[str]:
    """The outbox ids of the reminders the instance's fired timer calls for (none for other instances)."""
    case = db.session.scalar(select(CommunityRequest).where(CommunityRequest.instance_id == instance_id))
    if case is None or case.state != "registered":
        return []
    if not any(e.kind == "timer_fired" and e.element_id == REMINDER for e in engine.history(instance_id)):
        return []
    from onboarding.reminders import national_management  # who national management is, in one place
    ids = []
    for staff in national_management():
        ids += outbox.enqueue("staff", staff, "reminder", f"community_reminder:{case.id}:{staff.id}")
    return ids
