"""Load an instance under its lock, advance it until quiescent, save it with its index tables.

Engine functions flush, never commit: the request or actor that called them commits once.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from engine import clock, index, spiff
from engine.db import db
from engine.errors import EngineError, NotFound, SandboxError, TaskConflict
from engine.models import InstanceEvent, ProcessInstance, ProgramVersion
from engine.roles import role_for_lane

MAX_STEPS_PER_ADVANCE = 5000  # a runaway program becomes an incident, not a hung worker
MAX_ROUNDS = 50
SPEC_CACHE_SIZE = 64

_spec_cache: OrderedDict = OrderedDict()
_spec_lock = threading.Lock()


def specs_for(version: ProgramVersion):
    """Parsed spec objects of a version, deserialized once per process (versions are immutable)."""
    key = version.content_hash
    with _spec_lock:
        if key in _spec_cache:
            _spec_cache.move_to_end(key)
            return _spec_cache[key]
    specs = spiff.spec_from_json(version.spec_json)
    with _spec_lock:
        _spec_cache[key] = specs
        while len(_spec_cache) > SPEC_CACHE_SIZE:
            _spec_cache.popitem(last=False)
    return specs


class _StepBudgetExceeded(EngineError):
    pass


@dataclass
class Run:
    """One locked instance with its live workflow, for the length of one engine call."""

    instance: ProcessInstance
    version: ProgramVersion
    workflow: object
    actor_id: str | None = None
    events: list = field(default_factory=list)
    steps: int = 0

    def record(self, kind, element_id=None, element_name=None, role=None, detail=None, actor_id=None):
        self.events.append(InstanceEvent(
            instance_id=self.instance.id, at=clock.now(), kind=kind, element_id=element_id,
            element_name=element_name, role=role, actor_id=actor_id, detail=detail))

    def role_of(self, element_id):
        return self.version.task_roles.get(element_id)


def lock_instance(instance_id: str) -> ProcessInstance:
    """The instance row, locked: FOR UPDATE on PostgreSQL; on SQLite the version column guards."""
    stmt = (select(ProcessInstance).where(ProcessInstance.id == instance_id)
            .with_for_update().execution_options(populate_existing=True))
    instance = db.session.execute(stmt).scalar_one_or_none()
    if instance is None:
        raise NotFound("no such process instance")
    return instance


def open_run(instance: ProcessInstance, actor_id: str | None = None) -> Run:
    version = db.session.get(ProgramVersion, instance.version_hash)
    spec, subs = specs_for(version)
    workflow = spiff.load_state(instance.state, spec, subs)
    return Run(instance=instance, version=version, workflow=workflow, actor_id=actor_id)


def new_run(version: ProgramVersion, instance: ProcessInstance, actor_id: str | None) -> Run:
    spec, subs = specs_for(version)
    return Run(instance=instance, version=version, workflow=spiff.new_workflow(spec, subs), actor_id=actor_id)


def advance(run: Run) -> None:
    """Run engine steps and due timers until only human tasks and future waits remain.

    A designer error (a failing expression, a runaway loop) puts the instance in the incident
    state with the element id and reason; the caller's own change (a completed task) is kept.
    """
    workflow = run.workflow
    try:
        for _ in range(MAX_ROUNDS):
            workflow.refresh_timers()
            workflow.do_engine_steps(did_complete_task=lambda task: _completed(run, task))
            if not _engine_work_left(workflow):
                break
    except (SpiffWorkflowException, SandboxError, _StepBudgetExceeded) as err:
        _raise_incident(run, err)


def _engine_work_left(workflow) -> bool:
    return any(not t.task_spec.manual for t in workflow.get_tasks(state=TaskState.READY))


def _completed(run: Run, task) -> None:
    run.steps += 1
    if run.steps > MAX_STEPS_PER_ADVANCE:
        raise _StepBudgetExceeded(f"more than {MAX_STEPS_PER_ADVANCE} steps without waiting")
    spec = task.task_spec
    if not getattr(spec, "bpmn_id", None):
        return
    kind = "timer_fired" if _is_timer(spec) else "completed"
    run.record(kind, spec.bpmn_id, spec.bpmn_name, run.role_of(spec.bpmn_id) or role_for_lane(spec.lane))


def _is_timer(spec) -> bool:
    definition = getattr(spec, "event_definition", None)
    return definition is not None and "Timer" in type(definition).__name__


def _raise_incident(run: Run, err: Exception) -> None:
    task = getattr(err, "task", None)
    element = getattr(getattr(task, "task_spec", None), "bpmn_id", None) or "(process)"
    message = _plain_message(err)
    run.instance.status = "incident"
    run.instance.incident_element = element[:200]
    run.instance.incident_message = message[:1000]
    run.record("incident", element, detail=message[:1000])


def _plain_message(err: Exception) -> str:
    # SpiffWorkflow wraps our SandboxError in a WorkflowTaskException without keeping it.
    inner = err.__cause__ or err.__context__
    if isinstance(inner, SandboxError):
        return str(inner)
    text = str(err.args[0]) if err.args else type(err).__name__
    return text.splitlines()[0]


def save(run: Run) -> None:
    """Serialize the state and bring the index tables in line, in the caller's transaction."""
    instance, workflow = run.instance, run.workflow
    now = clock.now()
    instance.state = spiff.dump_state(workflow)
    instance.state_format = spiff.STATE_FORMAT
    instance.updated_at = now
    if instance.status != "incident":
        if workflow.is_completed():
            instance.status = "completed" if workflow.success else "cancelled"
            instance.ended_at = now
        else:
            instance.status = "running"
    _flush_or_conflict()  # the version check happens here, before any index row is touched
    new_tasks = index.sync(run)
    for task_row in new_tasks:
        run.record("task_ready", task_row.element_id, task_row.name, task_row.role)
    db.session.add_all(run.events)
    run.events = []
    _flush_or_conflict()


def _flush_or_conflict() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise TaskConflict("the instance was changed by someone else; reload and try again") from None
