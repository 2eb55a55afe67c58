"""The verbs that change instances: publish a version, start, complete a task, deliver a message
or signal, fire a timer, retry after an incident. Each locks, advances, saves and flushes."""
from __future__ import annotations

import json
from dataclasses import dataclass
from uuid import UUID, uuid4

from sqlalchemy import bindparam, select
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition, SignalEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine import clock, faults, instances, package, platform_tasks
from engine.db import db
from engine.errors import Forbidden, InvalidTaskData, TaskConflict, VersionRefused
from engine.identity import Actor
from engine.index import canonical
from engine.models import EventWait, HumanTask, ProgramVersion, Timer
from engine.records import Version, version_of
from engine.rows import InstanceRow

MAX_TASK_DATA_BYTES = 64 * 1024
_HT = HumanTask.__table__
_HUMAN_TASK = select(_HT.c.instance_id, _HT.c.role, _HT.c.unit_id, _HT.c.assignee_id, _HT.c.element_id,
                     _HT.c.name).where(_HT.c.id == bindparam("task_id"))


@dataclass(frozen=True)
class NewTask:
    """A human task this call made ready: who should hear about it (notifications)."""

    id: str
    role: str
    assignee_id: str | None
    unit_id: str | None = None
    priority: int = 2


@dataclass(frozen=True)
class Outcome:
    """What an engine call left behind, for the caller to show or act on."""

    instance_id: str
    status: str
    ready_task_ids: tuple[str, ...]
    incident: str | None = None
    new_tasks: tuple[NewTask, ...] = ()


def store_version(checked: package.CheckedPackage) -> Version:
    """Store a checked package once; the same content returns the existing version."""
    existing = db.session.get(ProgramVersion, checked.content_hash)
    if existing is not None:
        return version_of(existing)
    version = ProgramVersion(
        content_hash=checked.content_hash,
        name=str(checked.metadata.get("name") or checked.main_process)[:200],
        main_process=checked.main_process, meta=checked.metadata,
        files=package.stored_files(checked.files),
        spec_json=checked.spec_json, task_roles=checked.task_roles,
        task_forms=checked.task_forms, task_names=checked.task_names)
    db.session.add(version)
    db.session.flush()
    return version_of(version)


def start(version_hash: str, actor: Actor, *, unit_id=None, subject_id=None, owner_id=None,
          data=None, is_test=False) -> Outcome:
    version = instances.version_info(version_hash)
    now = clock.now()
    instance = InstanceRow(id=uuid4().hex, version_hash=version_hash, process_id=version.main_process,
                           status="running", state=b"", state_format=1, lock_version=0, unit_id=unit_id,
                           subject_id=subject_id, owner_id=owner_id, is_test=is_test, index_keys={},
                           incident_element=None, incident_message=None, created_at=now, updated_at=now,
                           ended_at=None, is_new=True)
    run = instances.new_run(version, instance, actor.id)
    run.workflow.data.update(check_task_data(data or {}))
    start_task = run.workflow.task_tree
    start_task.data.update(run.workflow.data)
    run.record("started", version.main_process, version.name, actor_id=actor.id)
    instances.advance(run)
    instances.save(run)
    return outcome_of(run)


def complete_task(task_id: str, actor: Actor, data: dict | None = None) -> Outcome:
    """Complete a READY human task as ``actor``. A second completion gets TaskConflict."""
    row = db.session.execute(_HUMAN_TASK, {"task_id": task_id}).one_or_none()
    if row is None:
        raise TaskConflict("the task is already done or does not exist")
    _check_may_complete(actor, row)
    instance = instances.lock_instance(row.instance_id)
    if platform_tasks.is_platform(row.element_id):  # not the program's: its state is not touched
        platform_tasks.complete(task_id, row.element_id, actor, instance)
        return Outcome(instance.id, instance.status, tuple((instance.index_keys or {}).get("h", ())))
    if instance.status == "paused":
        # Maintenance phase: completing a step would advance the program (and fire its due
        # timers) while nothing is meant to be due; resuming it is the clinician's choice.
        raise TaskConflict("the program is paused: its steps can be done again when it is resumed")
    clean = check_task_data(data or {})
    with instances.own_clock(instance):
        return _complete(instance, task_id, row, actor, clean)


def _complete(instance, task_id: str, row, actor: Actor, clean: dict) -> Outcome:
    run = instances.open_run(instance, actor.id)
    # The state was read under the lock, so this is the check that decides a race.
    task = run.workflow.get_task_from_id(UUID(task_id))
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskConflict("the task was completed by someone else")
    if hasattr(task.task_spec, "add_data_from_form"):
        task.task_spec.add_data_from_form(task, clean)
    else:
        task.set_data(**clean)
    run.record("completed", row.element_id, row.name, row.role, actor_id=actor.id)
    with faults.designer_faults(run):  # completing updates what follows: a timer may fail there
        task.run()
    run.stamp_completed(task)
    if run.instance.status != "incident":
        instances.advance(run)
    instances.save(run)
    return outcome_of(run)


def _check_may_complete(actor: Actor, row: HumanTask) -> None:
    if actor.is_system:
        return
    if not actor.may_act_as(row.role, row.unit_id):
        raise Forbidden("you do not hold the role this task needs on this unit")
    if row.role == "invanare" and row.assignee_id and row.assignee_id != actor.id:
        raise Forbidden("this step belongs to another resident")


def check_task_data(data: dict) -> dict:
    """Task data is JSON, keyed by names a designer expression could use, and small. A helper's
    name is fine: the value shadows the helper in that instance's expressions."""
    if not isinstance(data, dict):
        raise InvalidTaskData("task data must be an object")
    for key in data:
        if not isinstance(key, str) or not key.isidentifier() or key.startswith("_"):
            raise InvalidTaskData(f"'{key}' is not an allowed field name")
    try:
        size = len(json.dumps(data))
    except (TypeError, ValueError):
        raise InvalidTaskData("task data must contain only text, numbers, booleans, lists and objects") from None
    if size > MAX_TASK_DATA_BYTES:
        raise InvalidTaskData("task data is too large")
    return data


def fire_timer(timer_id: int) -> Outcome | None:
    """Fire one due timer under the instance lock. Firing twice changes nothing the second time
    (None: nothing was due, or it already fired)."""
    row = db.session.get(Timer, timer_id)
    if row is None:
        return None
    instance = instances.lock_instance(row.instance_id)
    row = db.session.execute(select(Timer).where(Timer.id == timer_id)
                             .execution_options(populate_existing=True)).scalar_one_or_none()
    if row is None or row.due_at > clock.now() or instance.status != "running":
        return None
    with instances.own_clock(instance):
        run = instances.open_run(instance)
        instances.advance(run)
        instances.save(run)
    return outcome_of(run)


def deliver_message(name: str, payload: dict, correlations: dict | None = None) -> int:
    """Deliver a message from outside to the instances waiting for it; returns how many caught it."""
    return len(deliver("message", name, check_task_data(payload), correlations or {}))


def send_signal(name: str, payload: dict | None = None) -> int:
    return len(deliver("signal", name, check_task_data(payload or {}), {}))


def deliver(kind, name, payload, correlations, *, only=None, actor_id=None) -> list[Outcome]:
    """Deliver to every running instance waiting for ``name`` (``only``: to these instance ids
    alone); the outcome of each that caught it. ``payload`` has been checked by the caller."""
    stmt = select(EventWait.instance_id).where(EventWait.kind == kind, EventWait.name == name)
    if correlations:
        stmt = stmt.where(EventWait.correlation.in_([canonical(correlations), "{}"]))
    if only is not None:
        stmt = stmt.where(EventWait.instance_id.in_(sorted(only)))
    outcomes = []
    for instance_id in sorted(set(db.session.scalars(stmt))):
        instance = instances.lock_instance(instance_id)
        if instance.status != "running":
            continue
        with instances.own_clock(instance):
            outcome = _deliver_to(instance, kind, name, payload, correlations, actor_id)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def _deliver_to(instance, kind, name, payload, correlations, actor_id) -> Outcome | None:
    try:
        run = instances.open_run(instance, actor_id)
    except VersionRefused:
        return None  # that instance is in incident now; the others still get the message
    definition = MessageEventDefinition(name) if kind == "message" else SignalEventDefinition(name)
    event = BpmnEvent(definition, payload, correlations)
    with faults.designer_faults(run):
        if not run.workflow.event_manager.catch(event, internal=False):
            return None
    run.record(f"{kind}_received", detail=name, actor_id=actor_id)
    if run.instance.status != "incident":
        instances.advance(run)
    instances.save(run)
    return outcome_of(run)


def retry_incident(instance_id: str, actor: Actor) -> Outcome:
    """After a fix (or a transient failure), run the failed element again."""
    instance = instances.lock_instance(instance_id)
    if instance.status != "incident":
        raise TaskConflict("the instance has no open incident")
    with instances.own_clock(instance):
        run = instances.open_run(instance, actor.id)
        instance.status, instance.incident_element, instance.incident_message = "running", None, None
        run.record("incident_retried", actor_id=actor.id)
        _rerun_failed(run)
        if run.instance.status != "incident":
            instances.advance(run)
        instances.save(run)
    return outcome_of(run)


def _rerun_failed(run) -> None:
    """Failed elements run again. A human step whose completion failed (its postScript) runs
    again with the answers it was sent with: made READY only, it would go back on the person's
    list and they would have to send it twice."""
    for task in run.workflow.get_tasks(state=TaskState.ERROR):
        task._set_state(TaskState.READY)
        if not task.task_spec.manual:
            continue  # advance runs it
        with faults.designer_faults(run):
            task.run()
        run.stamp_completed(task)
        if run.instance.status == "incident":
            return


def outcome_of(run) -> Outcome:
    ready = tuple(str(t.id) for t in run.ready)
    inst = run.instance
    incident = f"{inst.incident_element}: {inst.incident_message}" if inst.status == "incident" else None
    new = tuple(NewTask(t["id"], t["role"], t["assignee_id"], t["unit_id"], t["priority"])
                for t in run.index_changes.get("h_new", ()))
    return Outcome(instance_id=inst.id, status=inst.status, ready_task_ids=ready, incident=incident, new_tasks=new)
