"""Load an instance under its lock, advance it until quiescent, save it with its index tables.

Engine functions flush, never commit: the request or actor that called them commits once.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import insert, or_, select, update
from SpiffWorkflow.bpmn.specs.event_definitions import ErrorEventDefinition, TerminateEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import ThrowingEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.util.task import TaskState

from engine import (boundary, clock, conditional, event_subprocesses, faults, gateway_timers, index, integrity,
                    meetings, rows, spiff, stalls, xmlsafe)
from engine.db import db
from engine.errors import NotFound, VersionRefused
from engine.models import InstanceEvent, ProcessInstance, ProgramVersion
from engine.rows import InstanceRow
from engine.roles import role_for_lane

MAX_STEPS_PER_ADVANCE = 5000  # a runaway program becomes an incident, not a hung worker
MAX_ROUNDS = 50
SPEC_CACHE_SIZE = 64
_INSERT_EVENTS = insert(InstanceEvent.__table__)

@dataclass(frozen=True)
class VersionInfo:
    """What a run needs of its (immutable) version: parsed specs and the task tables."""

    content_hash: str
    name: str
    main_process: str
    spec: object
    subprocess_specs: dict
    task_roles: dict
    task_forms: dict
    task_names: dict
    form_files: dict  # form file name -> its JSON text, for the task screens
    texts: dict  # text name -> Markdown (texts/<name>.md: module pages)
    process_files: dict  # process id -> the BPMN text that defines it (progress diagrams)
    meta: dict = field(default_factory=dict)  # the package's program.json (e.g. feedback_working_days)
    task_meetings: dict = field(default_factory=dict)  # element id -> MeetingSpec (engine/meetings.py)


_versions: OrderedDict = OrderedDict()
_versions_lock = threading.Lock()


def version_info(content_hash: str) -> VersionInfo:
    """Versions never change, so each process parses a version's spec once and keeps it."""
    with _versions_lock:
        if content_hash in _versions:
            _versions.move_to_end(content_hash)
            return _versions[content_hash]
    row = db.session.get(ProgramVersion, content_hash)
    if row is None:
        raise NotFound("no such program version")
    try:
        integrity.verify(row)  # before first use: nothing changed in the database since it was stored
    except VersionRefused as err:
        stop_instances_of(err)
        raise
    spec, subs = spiff.spec_from_json(row.spec_json)
    forms = {path.rsplit("/", 1)[-1]: text for path, text in row.files.items() if path.endswith(".form")}
    info = VersionInfo(row.content_hash, row.name, row.main_process, spec, subs,
                       dict(row.task_roles), dict(row.task_forms), dict(row.task_names), forms,
                       _texts(row.files), _process_files(row.files), dict(row.meta or {}), _meetings(row.files))
    with _versions_lock:
        _versions[content_hash] = info
        while len(_versions) > SPEC_CACHE_SIZE:
            _versions.popitem(last=False)
    return info


TEXTS_FOLDER = "texts/"
_PROCESS_TAG = re.compile(r'<(?:\w+:)?process\b[^>]*?\bid="([^"]+)"')


def _texts(files: dict) -> dict:
    return {path[len(TEXTS_FOLDER):-3]: text for path, text in files.items()
            if path.startswith(TEXTS_FOLDER) and path.endswith(".md") and "/" not in path[len(TEXTS_FOLDER):]}


def _meetings(files: dict) -> dict:
    """The meeting steps (engine/meetings.py); only versions that have the property are parsed again."""
    trees = {path: xmlsafe.parse(text.encode("utf-8") if isinstance(text, str) else text)
             for path, text in files.items() if path.endswith(".bpmn") and meetings.PROPERTY in text}
    return meetings.meetings_in(trees) if trees else {}


def _process_files(files: dict) -> dict:
    """Which BPMN file defines which process; the files passed the hardened parser when stored."""
    return {process_id: text for path, text in sorted(files.items()) if path.endswith(".bpmn")
            for process_id in _PROCESS_TAG.findall(text)}


def forget_cached_versions() -> None:
    with _versions_lock:
        _versions.clear()


@dataclass
class Run:
    """One locked instance with its live workflow, for the length of one engine call."""

    instance: InstanceRow
    version: VersionInfo
    workflow: object
    actor_id: str | None = None
    events: list = field(default_factory=list)
    steps: int = 0
    ready: list = field(default_factory=list)
    index_changes: dict = field(default_factory=dict)
    timer_faults: list = field(default_factory=list)  # (task, error): timers that cannot be scheduled
    completions: int = 0

    def stamp_completed(self, task) -> None:
        """Order the completion within this instance's history (engine/conditional.py)."""
        self.completions += 1
        conditional.stamp(task, (self.instance.lock_version or 0, self.completions))

    def record(self, kind, element_id=None, element_name=None, role=None, detail=None, actor_id=None):
        self.events.append(dict(
            instance_id=self.instance.id, at=clock.now(), kind=kind, element_id=element_id,
            element_name=element_name, role=role, actor_id=actor_id, detail=detail))

    def role_of(self, element_id):
        return self.version.task_roles.get(element_id)


def own_clock(instance: InstanceRow):
    """The instance's own time while the engine works on it: a test run whose clock was moved
    ahead (engine/testclock.py) sees its timers fall due; every other instance reads the
    platform's clock. Index rows are written in platform time all the same (engine/index.py)."""
    offset = instance.clock_offset_seconds or 0
    return clock.shifted(timedelta(seconds=offset)) if offset else nullcontext()


def lock_instance(instance_id: str) -> InstanceRow:
    """The instance row, locked: FOR UPDATE on PostgreSQL; on SQLite the version column guards."""
    return rows.lock(instance_id)


def open_run(instance: InstanceRow, actor_id: str | None = None) -> Run:
    """The instance with its live workflow. A refused version has put the instance in incident (in
    the caller's transaction) before the refusal reaches the caller."""
    try:
        version = version_info(instance.version_hash)
    except VersionRefused:
        vars(instance).update(vars(rows.lock(instance.id)))  # the row went to incident meanwhile
        raise
    workflow = spiff.load_state(instance.state, version.spec, version.subprocess_specs)
    return Run(instance=instance, version=version, workflow=workflow, actor_id=actor_id)


VERSION_ELEMENT = "(version)"  # the incident's element when the whole version is refused
REFUSABLE_STATUSES = ("running", "paused", "incident")


def stop_instances_of(err: VersionRefused) -> None:
    """Every open instance of a refused version goes to incident at once, not only the one that
    happened to be touched: administrators see them all, and none runs on. Once per instance."""
    table = ProcessInstance.__table__
    ids = db.session.scalars(select(table.c.id).where(
        table.c.version_hash == err.content_hash, table.c.status.in_(REFUSABLE_STATUSES),
        or_(table.c.incident_element.is_(None), table.c.incident_element != VERSION_ELEMENT))).all()
    if not ids:
        return
    now, message = clock.now(), f"the program version was refused: {err.reason}"[:1000]
    db.session.execute(update(table).where(table.c.id.in_(ids)).values(
        status="incident", incident_element=VERSION_ELEMENT, incident_message=message, updated_at=now,
        lock_version=table.c.lock_version + 1))
    db.session.execute(_INSERT_EVENTS, [dict(instance_id=i, at=now, kind="incident", element_id=VERSION_ELEMENT,
                                             element_name=None, role=None, actor_id=None, detail=message)
                                        for i in ids])


def new_run(version: VersionInfo, instance: InstanceRow, actor_id: str | None) -> Run:
    workflow = spiff.new_workflow(version.spec, version.subprocess_specs)
    return Run(instance=instance, version=version, workflow=workflow, actor_id=actor_id)


def ready_tasks(workflow, manual: bool) -> list:
    """READY tasks by a flat scan of every (sub)workflow's task dict.

    SpiffWorkflow's own task iterator walks the tree with a depth limit (pitfall 12) and is the
    most expensive call on the hot path; a flat scan is exact and cheap.
    """
    found = []
    for flow in (workflow, *workflow.subprocesses.values()):
        for task in flow.tasks.values():
            if task.state == TaskState.READY and bool(task.task_spec.manual) == manual:
                found.append(task)
    return found


def advance(run: Run) -> None:
    """Run engine steps and due timers until only human tasks and future waits remain.

    A designer fault (a failing expression, a runaway loop, a timer that cannot be scheduled) puts
    the instance in the incident state with the element id and reason; the caller's own change (a
    completed task) is kept (engine/faults.py).
    """
    workflow = run.workflow
    with faults.designer_faults(run):
        for _ in range(MAX_ROUNDS):
            workflow.refresh_timers()
            _record_cycle_firings(run)  # before the firing's branch runs, so the history is in order
            try:
                workflow.do_engine_steps(did_complete_task=lambda task: _completed(run, task))
            except _ProcessEnded:
                return  # nothing of the process may run after it ended abnormally
            _record_cycle_firings(run)  # do_engine_steps refreshes timers once more at its end
            conditional.fire_true_conditions(workflow)  # another branch may have made one true
            # A process whose flow has ended disarms its event subprocesses; its end join then runs.
            if not _engine_work_left(workflow) and not event_subprocesses.disarm_ended(workflow):
                break


def _engine_work_left(workflow) -> bool:
    return bool(ready_tasks(workflow, manual=False))


def _completed(run: Run, task) -> None:
    run.stamp_completed(task)
    run.steps += 1
    if run.steps > MAX_STEPS_PER_ADVANCE:
        raise faults.StepBudgetExceeded(f"more than {MAX_STEPS_PER_ADVANCE} steps without waiting")
    spec = task.task_spec
    ended = _abnormal_end(run, task)
    if _is_history(spec):
        _record_element(run, "timer_fired" if _is_timer_firing(task) else "completed", spec, detail=ended)
    if ended:
        raise _ProcessEnded(ended)


class _ProcessEnded(Exception):
    """Stops the engine steps: the process ended abnormally, so no task left in SpiffWorkflow's
    list of ready tasks may run after it (it runs the list without looking at the states again)."""


def _is_history(spec) -> bool:
    """Whether a completed task is a history event. A looped or multi-instance activity completes
    once more as a whole after its rounds, under the same element id; each round is the step done,
    so the whole is not recorded (3 answers are 3 events, not 4)."""
    return bool(getattr(spec, "bpmn_id", None)) and not isinstance(spec, LoopTask)


def _abnormal_end(run: Run, task) -> str | None:
    """Why the process ended abnormally at ``task``, or None. BPMN ends the process abnormally at a
    terminate end event of the main process and at an error nobody catches; SpiffWorkflow ends both
    with ``success`` true, which would read 'completed'. ``success`` false makes it 'cancelled'."""
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, TerminateEventDefinition) and task.workflow is run.workflow:
        run.workflow.success = False  # SpiffWorkflow has already cancelled the open branches
        return "terminated"
    # Only the throw itself is acted on: an instance saved before this fix may keep an old one.
    thrown = isinstance(definition, ErrorEventDefinition) and isinstance(task.task_spec, ThrowingEvent)
    errors = _take_uncaught_errors(run.workflow) if thrown else []
    if not errors:
        return None
    run.workflow.cancel()  # in a subprocess too: the error ends the whole process, not one branch
    return "uncaught error " + ", ".join(errors)


def _take_uncaught_errors(workflow) -> list[str]:
    """The names of thrown errors no event caught; SpiffWorkflow leaves them in ``bpmn_events``
    (kept in the state), so they are taken out to be acted on once."""
    errors = [e for e in workflow.bpmn_events if isinstance(e.event_definition, ErrorEventDefinition)]
    workflow.bpmn_events = [e for e in workflow.bpmn_events if e not in errors]
    return [e.event_definition.name or e.event_definition.code or "(unnamed)" for e in errors]


def _record_cycle_firings(run: Run) -> None:
    """Each firing of a repeating reminder timer, as one ``timer_fired`` (engine/boundary.py)."""
    for spec in boundary.detach_cycle_firings(run.workflow):
        _record_element(run, "timer_fired", spec)


def _record_element(run: Run, kind: str, spec, detail: str | None = None) -> None:
    run.record(kind, spec.bpmn_id, spec.bpmn_name, run.role_of(spec.bpmn_id) or role_for_lane(spec.lane),
               detail=detail)


def _is_timer_firing(task) -> bool:
    """A timer event that completed: its own timer, or one an event-based gateway waited on."""
    definition = getattr(task.task_spec, "event_definition", None)
    # all three kinds: "TimeDate" has no "Timer" in its name
    return gateway_timers.is_timer(definition) or gateway_timers.fired_behind_gateway(task)


def save(run: Run, ended_as: str | None = None, keep_paused: bool = False) -> None:
    """Serialize the state and bring the index tables in line, in the caller's transaction.
    ``ended_as``: the caller ended the workflow on purpose (a clinician ending a program early),
    and this is its status, whatever the workflow or an open incident would say. ``keep_paused``:
    a paused instance changed without running (moved to another version) stays paused."""
    instance, workflow = run.instance, run.workflow
    now = clock.now()
    instance.state = spiff.dump_state(workflow)
    instance.state_format = spiff.STATE_FORMAT
    instance.updated_at = now
    if ended_as is not None:
        instance.status, instance.ended_at = ended_as, now
    elif keep_paused:
        instance.status = "paused"
    elif instance.status != "incident":
        if workflow.is_completed():
            instance.status = "completed" if workflow.success else "cancelled"
            instance.ended_at = now
        else:
            instance.status = "running"
    run.ready = ready_tasks(workflow, manual=True)
    new_rows = index.sync(run)
    if run.timer_faults and instance.status != "incident":
        task, err = run.timer_faults[0]
        faults.raise_incident(run, err, element=task.task_spec.bpmn_id)
    stalls.check(run)
    for task_row in new_rows:
        run.record("task_ready", task_row["element_id"], task_row["name"], task_row["role"])
    rows.write(instance)  # the version check happens here: a lost race changes nothing below
    index.write(run)
    if new_rows and not instance.is_test and instance.status == "running":  # a test run books no meeting
        meetings.announce(instance, run.version.task_meetings, new_rows, clock.now())
    if run.events:
        db.session.execute(_INSERT_EVENTS, run.events)
    run.events = []
