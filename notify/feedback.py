"""Telling a resident that their clinician has written to them in a step (feedback on homework):
the fixed "new feedback" text, never the words themselves. Once per clinician step."""
from __future__ import annotations

from engine.db import db
from notify import outbox


def enqueue_for(resident_id: str | None, task_id: str) -> list[str]:
    """Outbox rows telling the resident about feedback given in ``task_id``; their ids."""
    from access.models import Resident  # people live in access; imported late to keep notify light
    resident = db.session.get(Resident, resident_id) if resident_id else None
    if resident is None or resident.is_test:
        return []
    return outbox.enqueue("resident", resident, "new_feedback", f"new_feedback:{task_id}")
