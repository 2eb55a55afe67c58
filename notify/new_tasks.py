"""Telling people that a step is waiting: "Du har en ny uppgift i Vårdflöde", nothing more.
Called with an engine Outcome by whoever advanced the instance (a request, a timer actor).

Residents hear about every step of theirs, except one they opened themselves by finishing the
step before (they are on the site and see it). Staff hear only about what cannot wait for their
next look at the task list: a task flagged high priority (to the responsible clinician, or to
everyone with the role on the unit when nobody is), and tasks for the unit's invånaradministratör
(escalations), which are rare and nobody's in particular."""
from __future__ import annotations

from engine.db import db
from notify import outbox

HIGH = 0


def enqueue_for(outcome, locale: str = "sv", *, completed_by: str | None = None) -> list[str]:
    """Outbox rows for the tasks the outcome made ready that someone must hear about; their ids.
    ``completed_by`` is the resident whose own completion made the outcome, if it was one."""
    ids: list[str] = []
    for task in getattr(outcome, "new_tasks", ()) or ():
        if task.role == "invanare":
            if task.assignee_id and task.assignee_id != completed_by:
                ids += _to_resident(task, locale)
        elif getattr(task, "priority", 2) == HIGH or task.role == "invanaradmin":
            ids += _to_staff(task)
    return ids


def enqueue_handover(task) -> list[str]:
    """The receiving unit's clinicians (or the named new owner) hear that a resident was handed
    over to them: it must be taken over within days, and nobody looks at a unit's list by chance."""
    return _to_staff(task, "handover")


def _to_resident(task, locale: str) -> list[str]:
    from access.models import Resident  # people live in access; imported late to keep notify light
    resident = db.session.get(Resident, task.assignee_id)
    if resident is None or resident.is_test:
        return []
    return outbox.enqueue("resident", resident, "new_task", f"new_task:{task.id}", locale)


def _to_staff(task, kind: str = "priority_task") -> list[str]:
    from access import directory
    from access.models import Staff
    if task.assignee_id:
        people = [p for p in [db.session.get(Staff, task.assignee_id)] if p is not None and not p.is_test]
    elif task.unit_id:
        people = directory.staff_holding(task.role, task.unit_id)
    else:
        people = []
    ids: list[str] = []
    for person in people:
        # Staff read Swedish at work; the locale of whoever caused the task is not theirs.
        ids += outbox.enqueue("staff", person, kind, f"{kind}:{task.id}:{person.id}")
    return ids
