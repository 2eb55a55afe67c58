"""Telling residents that a step is waiting: "Du har en ny uppgift i Vårdflöde", nothing more.
Called with an engine Outcome by whoever advanced the instance (a request, a timer actor)."""
from __future__ import annotations

from engine.db import db
from notify import outbox


def enqueue_for(outcome, locale: str = "sv") -> list[str]:
    """Outbox rows for every resident task the outcome made ready; returns their ids."""
    from access.models import Resident  # people live in access; imported late to keep notify light
    ids: list[str] = []
    for task in getattr(outcome, "new_tasks", ()) or ():
        if task.role != "invanare" or not task.assignee_id:
            continue
        resident = db.session.get(Resident, task.assignee_id)
        if resident is not None and not resident.is_test:
            ids += outbox.enqueue("resident", resident, "new_task", f"new_task:{task.id}", locale)
    return ids
