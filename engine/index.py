"""Keeps the index tables (human_task, timer, event_wait) equal to what the state says.

Called by ``instances.save`` in the same transaction as the state write, so a task list or the
timer scheduler never sees a task or timer the state does not have, or misses one it does.
The instance row remembers which index rows it owns (``index_keys``), so a save that changes
nothing in the index costs no query at all, and one that does issues only the changes.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import and_, bindparam, delete, insert, or_, update

from engine import clock, faults
from engine.db import db
from engine.sandbox_bounds import MAX_TIMER_SPAN
from engine.models import EventWait, HumanTask, Timer


def sync(run) -> list[dict]:
    """Work out the index changes for this save; return the human-task rows that are new."""
    waiting = list(run.workflow.event_manager.tasks.values())
    timers = {}
    for task in waiting:
        try:
            due = _timer_due(task)
        except Exception as err:  # noqa: BLE001 - a designer's timer; the save makes it an incident
            run.timer_faults.append((task, err))
            continue
        if due is not None:
            timers[str(task.id)] = (task, due)
    old = run.instance.index_keys or {}
    new_tasks = _human_task_changes(run, old.get("h", []), timers)
    _timer_changes(run, old.get("t", {}), timers)
    # Every waiting task, timers too: an event-based gateway waits on a timer and a message at once.
    _wait_changes(run, old.get("w", []), waiting)
    run.instance.index_keys = {"h": sorted(str(t.id) for t in run.ready),
                               "t": {k: due.isoformat() for k, (_, due) in timers.items()},
                               "w": sorted(run.index_changes["w_keys"])}
    return new_tasks


_HT, _TM = HumanTask.__table__, Timer.__table__
# Built once; see engine.rows for why.
_DELETE_TASKS = delete(_HT).where(_HT.c.id.in_(bindparam("ids", expanding=True)))
_INSERT_TASKS = insert(_HT)
_DELETE_TIMERS = delete(_TM).where(_TM.c.instance_id == bindparam("instance"),
                                   _TM.c.task_id.in_(bindparam("ids", expanding=True)))
_INSERT_TIMERS = insert(_TM)


def write(run) -> None:
    """Apply the changes worked out by ``sync`` (after the instance's version check passed)."""
    instance_id, changes = run.instance.id, run.index_changes
    if changes["h_gone"]:
        db.session.execute(_DELETE_TASKS, {"ids": changes["h_gone"]})
    if changes["h_new"]:
        db.session.execute(_INSERT_TASKS, changes["h_new"])
    if changes["t_gone"]:
        db.session.execute(_DELETE_TIMERS, {"instance": instance_id, "ids": changes["t_gone"]})
    for task_id, due in changes["t_moved"]:  # a cycle moved on: schedule the next firing afresh
        db.session.execute(update(Timer).where(Timer.instance_id == instance_id, Timer.task_id == task_id)
                           .values(due_at=due, enqueued_at=None))
    if changes["t_new"]:
        db.session.execute(_INSERT_TIMERS, changes["t_new"])
    if changes["w_gone"]:
        db.session.execute(delete(EventWait).where(EventWait.instance_id == instance_id, or_(*[
            and_(EventWait.kind == k, EventWait.name == n, EventWait.correlation == c)
            for k, n, c in changes["w_gone"]])))
    if changes["w_new"]:
        db.session.execute(insert(EventWait.__table__), [dict(instance_id=instance_id, kind=k, name=n, correlation=c)
                                              for k, n, c in changes["w_new"]])


def _timer_due(task) -> datetime | None:
    definition = task.task_spec.event_definition
    if "Timer" not in type(definition).__name__:
        return None
    value = definition.details(task).value
    if not isinstance(value, str):
        return None
    due = type(definition).get_datetime(value)
    if due - clock.now() > MAX_TIMER_SPAN:
        raise faults.TimerOutOfRange(f"the timer's date {due.date().isoformat()} lies more than {MAX_TIMER_SPAN.days // 365} years ahead")
    return due


def _human_task_changes(run, old_ids, timers) -> list[dict]:
    instance, version = run.instance, run.version
    ready = {str(t.id): t for t in run.ready}
    run.index_changes["h_gone"] = sorted(set(old_ids) - ready.keys())
    rows = []
    for task_id in sorted(ready.keys() - set(old_ids)):
        task = ready[task_id]
        element = task.task_spec.bpmn_id
        role = version.task_roles.get(element) or "behandlare"
        rows.append(dict(
            id=task_id, instance_id=instance.id, element_id=element,
            name=version.task_names.get(element) or task.task_spec.bpmn_name or element,
            role=role, unit_id=instance.unit_id, assignee_id=_assignee(instance, role),
            form=version.task_forms.get(element),
            due_at=_due_from_boundary(task, timers) or default_due(version.meta, role, instance.updated_at),
            priority=priority_of(task.data), created_at=instance.updated_at))
    run.index_changes["h_new"] = rows
    return rows


PRIORITIES = {"high": 0, "attention": 1, "normal": 2}


def priority_of(data: dict) -> int:
    """A program raises a task's priority by setting ``priority`` ('high', 'attention') in the
    task data before it, e.g. from a risk flag: ``priority = 'high' if phq9_9 > 0 else 'normal'``."""
    return PRIORITIES.get(str(data.get("priority", "normal")).lower(), 2)


DEFAULT_WORKING_DAYS = 2  # a staff step with no due time of its own: feedback within two working days
STAFF_FREE_ROLES = ("invanare",)  # the resident's own steps have no due time unless the program gives one


def working_days(meta: dict | None) -> int:
    """How many working days a staff step has: the program's ``feedback_working_days`` (program.json),
    else two. A value that is not a whole number from 0 to 60 counts as not given."""
    value = (meta or {}).get("feedback_working_days", DEFAULT_WORKING_DAYS)
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_WORKING_DAYS
    return days if 0 <= days <= 60 and not isinstance(value, bool) else DEFAULT_WORKING_DAYS


def default_due(meta: dict | None, role: str, ready_at):
    """When a staff step with no timer of its own is due: the program's working days after it
    became ready. None for the resident's own steps."""
    if role in STAFF_FREE_ROLES:
        return None
    return clock.add_working_days(ready_at, working_days(meta))


def _assignee(instance, role):
    """Personal tasks: the resident's own steps go to them, the clinician's to the responsible one."""
    return {"invanare": instance.subject_id, "behandlare": instance.owner_id}.get(role)


def _due_from_boundary(task, timers):
    """A timer on the task's boundary (e.g. escalate after 3 days) is when the task is due."""
    siblings = task.parent.children if task.parent is not None else []
    dues = [timers[str(s.id)][1] for s in siblings if str(s.id) in timers]
    return min(dues) if dues else None


def _timer_changes(run, old, timers) -> None:
    instance_id = run.instance.id
    run.index_changes["t_gone"] = sorted(old.keys() - timers.keys())
    run.index_changes["t_new"] = [
        dict(instance_id=instance_id, task_id=task_id, element_id=task.task_spec.bpmn_id or "", due_at=due)
        for task_id, (task, due) in sorted(timers.items()) if task_id not in old]
    run.index_changes["t_moved"] = [
        (task_id, due) for task_id, (_task, due) in sorted(timers.items())
        if task_id in old and old[task_id] != due.isoformat()]


def _wait_changes(run, old, tasks) -> None:
    wanted = set()
    for task in tasks:
        for kind, name in _receivable(task.task_spec.event_definition):
            wanted.add((kind, name, canonical(run.workflow.correlations if kind == "message" else {})))
    have = {tuple(k) for k in old}
    run.index_changes["w_gone"] = sorted(have - wanted)
    run.index_changes["w_new"] = sorted(wanted - have)
    run.index_changes["w_keys"] = [list(k) for k in wanted]


def _receivable(definition) -> list[tuple[str, str]]:
    """(kind, name) of the messages and signals a waiting event can catch. An event-based
    gateway waits as one task whose definition holds each of its catch events' definitions."""
    parts = getattr(definition, "event_definitions", None) or [definition]
    kinds = (("Message", "message"), ("Signal", "signal"))
    return [(kind, part.name) for part in parts for word, kind in kinds if word in type(part).__name__]


def canonical(correlations) -> str:
    return json.dumps(correlations or {}, sort_keys=True, separators=(",", ":"), default=str)[:1000]
