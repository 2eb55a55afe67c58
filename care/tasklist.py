"""The clinician's task list: which open steps of their roles on their unit, in which order,
through which filter, on which page, with whose program each one is. Every resident the page
shows is a logged look (a PDL ``list`` row, written as one batch per page view); residents the
principal may not read stay hidden."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import engine
from access import policy
from messaging import conversation

PAGE_SIZE = 50  # rows per page: a morning's work at a glance, and a page that answers fast
DEFAULT_FILTER = "alla"
# The task list's filters, by their Swedish address names: what a clinician asks for in a busy day.
FILTERS = {"alla": "all", "flaggade": "flagged", "forsenade": "overdue", "mina": "mine"}


@dataclass(frozen=True)
class TaskList:
    """One page of the filtered task list, with the counts every filter would give."""

    tasks: list
    residents: dict  # instance id -> resident, only for those the principal may read
    paused: set  # instance ids of paused programs: their steps wait until resumed
    chosen: str
    counts: dict
    unread: list  # (resident, count) of unread messages from residents on the unit
    now: datetime
    page: int
    pages: int


def chosen_filter(name: str | None) -> str:
    """The filter asked for, or every task when the name is not one of ours."""
    return name if name in FILTERS else DEFAULT_FILTER


def chosen_page(number: str | None) -> int:
    """The page asked for; anything but a sensible page number is the first page."""
    return int(number) if number and number.isdigit() and 0 < len(number) < 6 and int(number) > 0 else 1


def task_list(principal, roles, chosen: str | None, request_id: str | None, page: int = 1) -> TaskList:
    """Page ``page`` of the principal's open tasks in ``roles`` on their unit, filtered by ``chosen``:
    overdue first, then by priority (high, attention, normal), the soonest due (or longest overdue)
    first, undated last, the oldest first. The engine sorts and counts per unit in the database, so
    an overdue task is first however many tasks wait, and a page costs the same at any size."""
    actor, now, chosen = principal.engine_actor(), engine.clock.now(), chosen_filter(chosen)
    counts = _counts(actor, principal, roles, now)
    pages = max(1, -(-counts[chosen] // PAGE_SIZE))
    page = min(page, pages)
    tasks = _page(actor, principal, roles, now, FILTERS[chosen], page)
    summaries = engine.instance_summaries({t.instance_id for t in tasks}).values()
    unread = conversation.unread_from_residents(principal.unit_id) if principal.has("behandlare") else {}
    looks = ([policy.Look(s.subject_id, "human_task", s.id) for s in summaries if s.subject_id]
             + [policy.Look(rid, "message") for rid in sorted(unread)])
    readable = policy.list_residents(principal, looks, request_id)  # one PDL batch for the whole page
    residents = {s.id: readable[s.subject_id] for s in summaries if s.subject_id in readable}
    paused = {s.id for s in summaries if s.status == "paused"}
    return TaskList(tasks, residents, paused, chosen, counts,
                    [(readable[rid], n) for rid, n in sorted(unread.items()) if rid in readable], now, page, pages)


def _counts(actor, principal, roles, now) -> dict:
    """Per filter (by its address name), how many tasks it lists over all ``roles``."""
    per_role = [engine.worklist_counts(actor, role, [principal.unit_id], overdue_at=now, assignee_id=principal.id)
                for role in roles]
    return {name: sum(counts[kind] for counts in per_role) for name, kind in FILTERS.items()}


def _page(actor, principal, roles, now, only: str, page: int) -> list:
    """One page over all ``roles``: each role's first ``page`` pages merged in the engine's order."""
    upto = page * PAGE_SIZE
    rows = [task for role in roles for task in engine.worklist(
        actor, role, [principal.unit_id], limit=upto, overdue_at=now, only=only, assignee_id=principal.id)]
    rows.sort(key=engine.urgency_key(now))
    return rows[upto - PAGE_SIZE:upto]
