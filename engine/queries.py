"""Read-side verbs: task lists, one task, history, due timers. Index tables only, never state."""
from __future__ import annotations

import heapq
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from itertools import islice

from sqlalchemy import and_, bindparam, case, func, or_, select, update

from engine import clock
from engine.db import db
from engine.identity import Actor
from engine.models import HumanTask, InstanceEvent, ProcessInstance, ProgramVersion, Timer
from engine.records import Event, Instance, event_of, instance_of


@dataclass(frozen=True)
class TaskItem:
    id: str
    instance_id: str
    element_id: str
    name: str
    role: str
    unit_id: str | None
    assignee_id: str | None
    form: str | None
    due_at: datetime | None
    created_at: datetime
    priority: int = 2


_HT = HumanTask.__table__
_FIELDS = [f.name for f in fields(TaskItem)]
_UNIT_PAGE = (select(*[_HT.c[name] for name in _FIELDS])
              .where(_HT.c.role == bindparam("role"), _HT.c.unit_id == bindparam("unit"))
              .order_by(_HT.c.priority, _HT.c.created_at, _HT.c.id).limit(bindparam("n")))
_NOW = bindparam("now", type_=HumanTask.due_at.type)
# Overdue first, then by priority, the soonest due (or longest overdue) first, undated last, oldest
# first: what a clinician must do next. Sorted per unit: its open tasks, never the whole table.
_URGENT_PAGE = (select(*[_HT.c[name] for name in _FIELDS])
                .where(_HT.c.role == bindparam("role"), _HT.c.unit_id == bindparam("unit"))
                .order_by(case((_HT.c.due_at < _NOW, 0), else_=1), _HT.c.priority, _HT.c.due_at.is_(None),
                          func.coalesce(_HT.c.due_at, _HT.c.created_at), _HT.c.created_at, _HT.c.id)
                .limit(bindparam("n")))


def worklist(actor: Actor, role: str, unit_ids: list[str], limit: int = 50, offset: int = 0, *,
             overdue_at: datetime | None = None, only: str = "all", assignee_id: str | None = None) -> list[TaskItem]:
    """READY tasks for a role on the given units: flagged first, then oldest first; with
    ``overdue_at`` the overdue ones (due before it) first, then by priority, then the soonest due,
    undated last. ``only`` narrows the list (``WORKLIST_FILTERS``; ``mine`` needs ``assignee_id``).

    One query per unit on its (role, unit_id) index range, merged here: with ``unit_id IN (...)``
    the database would read and sort every task of every unit, so the page would slow down as the
    platform fills up. This way the cost grows with the unit's open tasks, not the table.
    """
    key = urgency_key if overdue_at is not None else _age
    per_unit = [[TaskItem(*row) for row in db.session.execute(
                    _unit_page(overdue_at, only, assignee_id), {"role": role, "unit": unit, "n": limit + offset})]
                for unit in _allowed_units(actor, role, unit_ids)]
    merged = heapq.merge(*per_unit, key=key(overdue_at))
    return list(islice(merged, offset, offset + limit))


WORKLIST_FILTERS = ("all", "flagged", "overdue", "mine")
FLAGGED_BELOW = 2  # priority 0 (high) and 1 (attention) are flagged; 2 is normal


def worklist_counts(actor: Actor, role: str, unit_ids: list[str], *, overdue_at: datetime,
                    assignee_id: str | None) -> dict[str, int]:
    """How many tasks each of ``WORKLIST_FILTERS`` would list, counted in the database."""
    counts = dict.fromkeys(WORKLIST_FILTERS, 0)
    for unit in _allowed_units(actor, role, unit_ids):
        row = db.session.execute(select(
            func.count(), _count_where(_HT.c.priority < FLAGGED_BELOW), _count_where(_HT.c.due_at < overdue_at),
            _count_where(_HT.c.assignee_id == assignee_id))
            .where(_HT.c.role == role, _HT.c.unit_id == unit)).one()
        for name, value in zip(WORKLIST_FILTERS, row):
            counts[name] += value or 0
    return counts


def _count_where(condition):
    return func.sum(case((condition, 1), else_=0))


def _allowed_units(actor: Actor, role: str, unit_ids: list[str]) -> list[str]:
    return sorted({u for u in unit_ids if actor.may_act_as(role, u)})


def _unit_page(overdue_at: datetime | None, only: str, assignee_id: str | None):
    if only not in WORKLIST_FILTERS:
        raise ValueError(f"unknown worklist filter {only!r}")
    stmt = _UNIT_PAGE if overdue_at is None else _URGENT_PAGE.params(now=overdue_at)
    if only == "flagged":
        stmt = stmt.where(_HT.c.priority < FLAGGED_BELOW)
    elif only == "overdue":
        stmt = stmt.where(_HT.c.due_at < (overdue_at or clock.now()))
    elif only == "mine":
        stmt = stmt.where(_HT.c.assignee_id == assignee_id)
    return stmt


def _age(_now):
    return lambda item: (item.priority, item.created_at, item.id)


def urgency_key(now: datetime):
    """The sort key of ``_URGENT_PAGE``'s order, for merging pages of several units or roles."""
    def key(item: TaskItem):
        overdue = item.due_at is not None and item.due_at < now
        return (not overdue, item.priority, item.due_at is None, item.due_at or item.created_at,
                item.created_at, item.id)
    return key


def tasks_for_resident(subject_id: str, limit: int = 50, instance_id: str | None = None) -> list[TaskItem]:
    """The resident's own open steps (only ``instance_id``'s when given); a paused program
    (maintenance phase) has none due."""
    stmt = (select(HumanTask).join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
            .where(HumanTask.assignee_id == subject_id, HumanTask.role == "invanare",
                   ProcessInstance.status != "paused"))
    if instance_id is not None:
        stmt = stmt.where(HumanTask.instance_id == instance_id)
    stmt = stmt.order_by(HumanTask.created_at).limit(limit)
    return [_item(r) for r in db.session.scalars(stmt)]


def ready_tasks(instance_id: str) -> list[TaskItem]:
    stmt = select(HumanTask).where(HumanTask.instance_id == instance_id).order_by(HumanTask.created_at)
    return [_item(r) for r in db.session.scalars(stmt)]


def _item(row: HumanTask) -> TaskItem:
    return TaskItem(row.id, row.instance_id, row.element_id, row.name, row.role, row.unit_id,
                    row.assignee_id, row.form, row.due_at, row.created_at, row.priority)


def instance(instance_id: str) -> Instance | None:
    """The instance as it stands now, or None."""
    row = db.session.get(ProcessInstance, instance_id)
    return None if row is None else instance_of(row)


def history(instance_id: str) -> list[Event]:
    """Everything that happened in the instance, oldest first."""
    stmt = select(InstanceEvent).where(InstanceEvent.instance_id == instance_id).order_by(InstanceEvent.id)
    return [event_of(row) for row in db.session.scalars(stmt)]


def incidents(limit: int = 100) -> list[Instance]:
    """Instances stopped by an error, longest stopped first."""
    stmt = select(ProcessInstance).where(ProcessInstance.status == "incident").order_by(ProcessInstance.updated_at).limit(limit)
    return [instance_of(row) for row in db.session.scalars(stmt)]


@dataclass(frozen=True)
class Counts:
    """How much the engine holds: versions, instances, open human tasks and waiting timers."""

    versions: int
    instances: int
    tasks: int
    timers: int


def counts() -> Counts:
    """How many versions, instances, open human tasks and waiting timers are stored."""
    return Counts(*(db.session.scalar(select(func.count()).select_from(model))
                    for model in (ProgramVersion, ProcessInstance, HumanTask, Timer)))


def next_timer_due() -> datetime | None:
    return db.session.scalar(select(Timer.due_at).order_by(Timer.due_at).limit(1))


def claim_due_timers(horizon: timedelta, resend_after: timedelta, limit: int = 500) -> list[tuple[int, datetime]]:
    """Timers due within ``horizon`` that have no recent wake-up; marks them enqueued and returns
    those this call claimed, so that the caller sends exactly these.

    Schedulers run active-active, with no leader: any number of them may call this at once, and
    each due timer is claimed by exactly one. The claim is one UPDATE that repeats the "not
    recently sent" condition and returns the rows it changed, so a scheduler that lost the race
    for a row does not see it (PostgreSQL re-checks the condition on the row it waited for; SQLite
    has one writer at a time). On PostgreSQL the candidate rows are also locked with SKIP LOCKED,
    so a second scheduler takes the next timers instead of waiting for the first one's commit.

    A wake-up older than ``resend_after`` is sent again: that is how a flushed Redis, a killed
    worker or a scheduler killed between its commit and its sends loses nothing. Duplicates are
    harmless because firing is idempotent.
    """
    now = clock.now()
    due = Timer.due_at <= now + horizon
    not_recently_sent = or_(Timer.enqueued_at.is_(None), Timer.enqueued_at < now - resend_after)
    candidates = select(Timer.id).where(due, not_recently_sent).order_by(Timer.due_at).limit(limit)
    if db.session.scalar(candidates.limit(1)) is None:
        return []  # the usual idle sweep stays a read: no SQLite write lock every 0.1 s
    candidates = candidates.with_for_update(skip_locked=True)  # no FOR UPDATE on SQLite: left out there
    claim = (update(Timer).where(Timer.id.in_(candidates.scalar_subquery()), due, not_recently_sent)
             .values(enqueued_at=now).returning(Timer.id, Timer.due_at)
             .execution_options(synchronize_session=False))
    rows = [(r.id, r.due_at) for r in db.session.execute(claim)]
    return sorted(rows, key=lambda row: row[1])  # RETURNING keeps no order; the earliest go first


def overdue_timer_ids(limit: int = 1000) -> list[int]:
    """Every timer already due (simulations and tests fire these directly)."""
    stmt = select(Timer.id).where(and_(Timer.due_at <= clock.now())).order_by(Timer.due_at).limit(limit)
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class TaskDetails:
    """What a task screen needs: the task, where it belongs, its form and its instructions."""

    task: TaskItem
    instance_id: str
    subject_id: str | None
    owner_id: str | None
    program_name: str
    form_name: str | None
    form_source: bytes | None  # the package's own form file; None for an instrument or no form
    instructions: str
    instance_status: str = "running"  # "paused": the screen says so instead of offering to send


def task_details(task_id: str) -> TaskDetails | None:
    from engine.instances import version_info
    row = db.session.get(HumanTask, task_id)
    if row is None:
        return None
    instance_row = db.session.get(ProcessInstance, row.instance_id)
    version = version_info(instance_row.version_hash)  # cached: versions never change
    source = version.form_files.get(row.form) if row.form else None
    return TaskDetails(
        task=_item(row), instance_id=row.instance_id, subject_id=instance_row.subject_id,
        owner_id=instance_row.owner_id, program_name=version.name, form_name=row.form,
        form_source=source.encode("utf-8") if source is not None else None,
        instructions=instructions_of(version, row.element_id), instance_status=instance_row.status)


def instructions_of(version, element_id: str) -> str:
    for spec in (version.spec, *version.subprocess_specs.values()):
        task_spec = spec.task_specs.get(element_id)
        if task_spec is not None:
            return (getattr(task_spec, "extensions", {}) or {}).get("instructionsForEndUser", "") or ""
    return ""


def form_file(version_hash: str, form_name: str) -> bytes | None:
    """A version's own form file by name; None when the version has none (a built-in form)."""
    from engine.instances import version_info
    source = version_info(version_hash).form_files.get(form_name)
    return source.encode("utf-8") if source is not None else None


def program_texts(version_hash: str) -> dict:
    """A version's texts (``texts/<name>.md``) by name, as Markdown."""
    from engine.instances import version_info
    return dict(version_info(version_hash).texts)
