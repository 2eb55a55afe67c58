"""The clinician's task list: which open steps of their roles on their unit, in which order,
through which filter, with whose program each one is. Every resident the list shows is a
logged look (a PDL ``list`` row); residents the principal may not read stay hidden."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import engine
from access import policy
from messaging import conversation

LIMIT = 200  # per role: more than a day's work, fewer than would slow the page down
DEFAULT_FILTER = "alla"
# The task list's filters: what a clinician asks for in a busy day.
FILTERS = {
    "alla": lambda task, principal, now: True,
    "flaggade": lambda task, principal, now: task.priority < 2,
    "forsenade": lambda task, principal, now: is_overdue(task, now),
    "mina": lambda task, principal, now: task.assignee_id == principal.id,
}


@dataclass(frozen=True)
class TaskList:
    """One filtered page of the task list, with the counts every filter would give."""

    tasks: list
    residents: dict  # instance id -> resident, only for those the principal may read
    paused: set  # instance ids of paused programs: their steps wait until resumed
    chosen: str
    counts: dict
    unread: list  # (resident, count) of unread messages from residents on the unit
    now: datetime


def chosen_filter(name: str | None) -> str:
    """The filter asked for, or every task when the name is not one of ours."""
    return name if name in FILTERS else DEFAULT_FILTER


def is_overdue(task, now: datetime) -> bool:
    return bool(task.due_at and task.due_at < now)


def ordered(tasks, now: datetime) -> list:
    """Overdue first; then, among the overdue and among the rest, by priority (high, attention,
    normal), then the soonest (or longest overdue) first, undated last, then the oldest first."""
    return sorted(tasks, key=lambda t: (not is_overdue(t, now), t.priority, t.due_at is None,
                                        t.due_at or t.created_at, t.created_at))


def task_list(principal, roles, chosen: str | None, request_id: str | None) -> TaskList:
    """The principal's open tasks in ``roles`` on their unit, filtered by ``chosen``."""
    actor = principal.engine_actor()
    now = engine.clock.now()
    rows = ordered((task for role in roles for task in engine.worklist(actor, role, [principal.unit_id], limit=LIMIT)),
                   now)
    chosen = chosen_filter(chosen)
    shown = [t for t in rows if FILTERS[chosen](t, principal, now)]
    residents, paused = instances_for(principal, {t.instance_id for t in shown}, request_id)
    unread = unread_messages(principal, request_id)
    counts = {name: sum(1 for t in rows if keep(t, principal, now)) for name, keep in FILTERS.items()}
    return TaskList(shown, residents, paused, chosen, counts, unread, now)


def instances_for(principal, instance_ids, request_id: str | None) -> tuple[dict, set]:
    """Per instance: its resident, each one shown logged (list; unreadable ones stay hidden), and
    whether it is paused (its tasks wait until the clinician resumes it)."""
    found = engine.instance_summaries(instance_ids).values()
    residents = {s.id: policy.read_resident(principal, s.subject_id, action="list", resource_type="human_task",
                                            resource_id=s.id, request_id=request_id)
                 for s in found if s.subject_id}
    return residents, {s.id for s in found if s.status == "paused"}


def unread_messages(principal, request_id: str | None) -> list:
    """Residents on the unit with unread messages, each one shown logged like any list row."""
    if not principal.has("behandlare"):
        return []
    found = []
    for resident_id, count in sorted(conversation.unread_from_residents(principal.unit_id).items()):
        resident = policy.read_resident(principal, resident_id, action="list", resource_type="message",
                                        request_id=request_id)
        if resident is not None:
            found.append((resident, count))
    return found
