"""Keeps the index tables (human_task, timer, event_wait) equal to what the state says.

Called by ``instances.save`` in the same transaction as the state write, so a task list or the
timer scheduler never sees a task or timer the state does not have, or misses one it does.
The instance row remembers which index rows it owns (``index_keys``), so a save that changes
nothing in the index costs no query at all, and one that does issues only the changes.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, delete, insert, or_, update

from engine import clock, faults, gateway_timers
from engine.db import db
from engine.sandbox_bounds import MAX_TIMER_SPAN
from engine.models import EventWait, HumanTask, Timer


def sync(run) -> list[dict]:
    """Work out the index changes for this save; return the human-task rows that are new."""
    waiting = list(run.workflow.event_manager.tasks.values())
    timers = {}
    # A paused instance holds no timer rows (engine/lifecycle.py): nothing is due while paused.
    for task in ([] if run.instance.status == "paused" else waiting):
        try:
            found = _timer_due(task)
        except Exception as err:  # noqa: BLE001 - a designer's timer; the save makes it an incident
            run.timer_faults.append((task, err))
            continue
        if found is not None:
            timers[str(task.id)] = (task, *found)
    old = run.instance.index_keys or {}
    new_tasks = _human_task_changes(run, old.get("h", []), timers)
    _timer_changes(run, old.get("t", {}), timers)
    # Every waiting task, timers included: a gateway's task waits on its timers and messages at once.
    _wait_changes(run, old.get("w", []), waiting)
    run.instance.index_keys = {"h": sorted(str(t.id) for t in run.ready),
                               "t": {k: due.isoformat() for k, (_, due, _e) in timers.items()},
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


def _timer_due(task) -> tuple[datetime, str] | None:
    """When the task's next timer is due and the timer's element id; None if it waits on no timer.
    Every timer definition counts (duration, date, cycle), and so does the earliest of the timers
    after an event-based gateway, which SpiffWorkflow keeps on the gateway's task."""
    definition = task.task_spec.event_definition
    if gateway_timers.is_timer(definition):
        value = definition.details(task).value
        if not isinstance(value, str):
            return None
        found = (_parse_due(definition, value), task.task_spec.bpmn_id)
    else:
        dues = gateway_timers.due_times(definition, task)
        if not dues:
            return None
        position, due = min(dues, key=lambda d: d[1])
        found = (due, gateway_timers.timer_element(task, position))
    if found[0] - clock.now() > MAX_TIMER_SPAN:
        raise faults.TimerOutOfRange(f"the timer's date {found[0].date().isoformat()} lies more than {MAX_TIMER_SPAN.days // 365} years ahead")
    return found


def _parse_due(definition, value: str) -> datetime:
    # A timeDate is stored as written (it may be an ISO week date); the others as a UTC instant.
    if gateway_timers.is_date(definition):
        return type(definition).parse_time_or_duration(value)
    return type(definition).get_datetime(value)


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
            role=role, unit_id=instance.unit_id, assignee_id=assignee_for(instance, role),
            form=version.task_forms.get(element),
            due_at=platform_time(instance, _due_from_boundary(task, timers)
                                 or default_due(version.meta, role, instance.updated_at)),
            priority=priority_of(task.data), created_at=platform_time(instance, instance.updated_at)))
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


def assignee_for(instance, role):
    """Personal tasks: the resident's own steps go to them, the clinician's to the responsible one."""
    return {"invanare": instance.subject_id, "behandlare": instance.owner_id}.get(role)


def _due_from_boundary(task, timers):
    """An interrupting timer on the task's boundary (e.g. escalate after 3 days: the task is taken
    away) is when the task is due. A non-interrupting one is a reminder, not a deadline."""
    siblings = task.parent.children if task.parent is not None else []
    dues = [timers[str(s.id)][1] for s in siblings
            if str(s.id) in timers and getattr(s.task_spec, "cancel_activity", False)]
    return min(dues) if dues else None


def _timer_changes(run, old, timers) -> None:
    instance_id = run.instance.id
    run.index_changes["t_gone"] = sorted(old.keys() - timers.keys())
    instance = run.instance
    run.index_changes["t_new"] = [
        dict(instance_id=instance_id, task_id=task_id, element_id=element or "", due_at=platform_time(instance, due))
        for task_id, (_task, due, element) in sorted(timers.items()) if task_id not in old]
    run.index_changes["t_moved"] = [
        (task_id, platform_time(instance, due)) for task_id, (_task, due, _element) in sorted(timers.items())
        if task_id in old and old[task_id] != due.isoformat()]


def platform_time(instance, at: datetime | None) -> datetime | None:
    """An instant of the instance's own clock on the platform's clock. Task lists and the timer
    scheduler compare index rows with the platform's time; a test run moved ahead (engine/testclock.py)
    keeps its rows there, so its timers fall due when its own clock reaches them, not a week late."""
    offset = getattr(instance, "clock_offset_seconds", 0) or 0
    return at - timedelta(seconds=offset) if at is not None and offset else at


def _wait_changes(run, old, tasks) -> None:
    wanted = set()
    for task in tasks:
        for definition in gateway_timers.definitions_of(task.task_spec.event_definition):
            details = definition.details(task)
            kind = "message" if "Message" in details.event_type else "signal" if "Signal" in details.event_type else None
            if kind:
                wanted.add((kind, details.name, canonical(run.workflow.correlations if kind == "message" else {})))
    have = {tuple(k) for k in old}
    run.index_changes["w_gone"] = sorted(have - wanted)
    run.index_changes["w_new"] = sorted(wanted - have)
    run.index_changes["w_keys"] = [list(k) for k in wanted]


def canonical(correlations) -> str:
    return json.dumps(correlations or {}, sort_keys=True, separators=(",", ":"), default=str)[:1000]
