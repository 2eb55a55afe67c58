"""Keeps the index tables (human_task, timer, event_wait) equal to what the state says.

Called by ``instances.save`` in the same transaction as the state write, so a task list or the
timer scheduler never sees a task or timer the state does not have, or misses one it does.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, select
from SpiffWorkflow.util.task import TaskState

from engine.db import db
from engine.models import EventWait, HumanTask, Timer


def sync(run) -> list[HumanTask]:
    """Bring all three tables in line; return the human-task rows that are new."""
    waiting = list(run.workflow.event_manager.tasks.values())
    timers = {str(t.id): t for t in waiting if _timer_due(t) is not None}
    new_tasks = _sync_human_tasks(run, timers)
    _sync_timers(run, timers)
    _sync_waits(run, [t for t in waiting if str(t.id) not in timers])
    return new_tasks


def _timer_due(task) -> datetime | None:
    definition = task.task_spec.event_definition
    if "Timer" not in type(definition).__name__:
        return None
    value = definition.details(task).value
    if not isinstance(value, str):
        return None
    return type(definition).get_datetime(value)


def _sync_human_tasks(run, timers) -> list[HumanTask]:
    instance, version = run.instance, run.version
    ready = {str(t.id): t for t in run.workflow.get_tasks(state=TaskState.READY, manual=True)}
    existing = set(db.session.scalars(select(HumanTask.id).where(HumanTask.instance_id == instance.id)))
    gone = existing - set(ready)
    if gone:
        db.session.execute(delete(HumanTask).where(HumanTask.id.in_(gone)))
    rows = []
    for task_id in ready.keys() - existing:
        task = ready[task_id]
        element = task.task_spec.bpmn_id
        role = version.task_roles.get(element) or "behandlare"
        rows.append(HumanTask(
            id=task_id, instance_id=instance.id, element_id=element,
            name=version.task_names.get(element) or task.task_spec.bpmn_name or element,
            role=role, unit_id=instance.unit_id, assignee_id=_assignee(instance, role),
            form=version.task_forms.get(element), due_at=_due_from_boundary(task, timers)))
    db.session.add_all(rows)
    return rows


def _assignee(instance, role):
    """Personal tasks: the resident's own steps go to them, the clinician's to the responsible one."""
    return {"invanare": instance.subject_id, "behandlare": instance.owner_id}.get(role)


def _due_from_boundary(task, timers):
    """A timer on the task's boundary (e.g. escalate after 3 days) is when the task is due."""
    parent = task.parent
    siblings = parent.children if parent is not None else []
    dues = [_timer_due(timers[str(s.id)]) for s in siblings if str(s.id) in timers]
    return min(dues) if dues else None


def _sync_timers(run, timers) -> None:
    instance_id = run.instance.id
    rows = {r.task_id: r for r in db.session.scalars(select(Timer).where(Timer.instance_id == instance_id))}
    for task_id, row in rows.items():
        if task_id not in timers:
            db.session.delete(row)
    for task_id, task in timers.items():
        due = _timer_due(task)
        row = rows.get(task_id)
        if row is None:
            db.session.add(Timer(instance_id=instance_id, task_id=task_id,
                                 element_id=task.task_spec.bpmn_id or "", due_at=due))
        elif row.due_at != due:  # a cycle moved on: schedule the next firing afresh
            row.due_at, row.enqueued_at = due, None


def _sync_waits(run, tasks) -> None:
    instance_id = run.instance.id
    wanted = set()
    for task in tasks:
        details = task.task_spec.event_definition.details(task)
        kind = "message" if "Message" in details.event_type else "signal" if "Signal" in details.event_type else None
        if kind:
            wanted.add((kind, details.name, canonical(run.workflow.correlations if kind == "message" else {})))
    rows = list(db.session.scalars(select(EventWait).where(EventWait.instance_id == instance_id)))
    have = {(r.kind, r.name, r.correlation): r for r in rows}
    for key, row in have.items():
        if key not in wanted:
            db.session.delete(row)
    for kind, name, correlation in wanted - have.keys():
        db.session.add(EventWait(instance_id=instance_id, kind=kind, name=name, correlation=correlation))


def canonical(correlations) -> str:
    return json.dumps(correlations or {}, sort_keys=True, separators=(",", ":"), default=str)[:1000]
