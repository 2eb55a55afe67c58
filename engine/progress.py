"""Where an instance stands, read from its stored state: which elements are done, which are current
and which come next (for the progress diagram), and the steps people completed with their data
(answers, score graphs). Read-only: no lock, nothing saved.

A loop over a call activity (the depression program's modules) makes one subprocess per round;
each becomes its own diagram, numbered in the order the rounds started.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from SpiffWorkflow.util.task import TaskState

from engine import instances, spiff
from engine.db import db
from engine.models import ProcessInstance, Timer

_CURRENT = TaskState.READY | TaskState.WAITING | TaskState.STARTED
_PREDICTED = TaskState.FUTURE | TaskState.LIKELY


@dataclass(frozen=True)
class Diagram:
    """One process of the instance with its elements marked."""

    process_id: str
    title: str
    round: int  # 0 for the main process; 1, 2, … for the rounds of a called process
    xml: str | None  # the package's BPMN file that defines the process
    done: tuple[str, ...]
    current: tuple[str, ...]
    next: tuple[str, ...]
    finished: bool


@dataclass(frozen=True)
class CompletedStep:
    """A human task someone completed, with the task data as it stood when they did."""

    task_id: str
    element_id: str
    name: str
    role: str | None
    form: str | None
    completed_at: datetime
    data: dict


@dataclass(frozen=True)
class Waiting:
    """A timer the instance waits for, e.g. the week before the next questionnaire."""

    element_id: str
    name: str
    due_at: datetime


@dataclass(frozen=True)
class Progress:
    instance_id: str
    status: str
    program_name: str
    diagrams: tuple[Diagram, ...]
    completed: tuple[CompletedStep, ...]
    waiting: tuple[Waiting, ...]
    latest_data: dict  # the data as the last finished element left it (e.g. which module is open)


def progress(instance_id: str) -> Progress | None:
    row = db.session.get(ProcessInstance, instance_id)
    if row is None:
        return None
    version = instances.version_info(row.version_hash)
    if row.purged_at is not None:  # a tombstone: no state, so no steps, answers or diagram to show
        return Progress(instance_id=row.id, status=row.status, program_name=version.name, diagrams=(),
                        completed=(), waiting=(), latest_data={})
    workflow = spiff.load_state(row.state, version.spec, version.subprocess_specs)
    return Progress(instance_id=row.id, status=row.status, program_name=version.name,
                    diagrams=tuple(_diagrams(workflow, version.process_files)),
                    completed=tuple(_completed_steps(workflow, version)),
                    waiting=tuple(_waiting(workflow, row.id)), latest_data=_latest_data(workflow))


def _diagrams(workflow, process_files: dict) -> list[Diagram]:
    found = [_diagram(workflow, 0, process_files)]
    rounds: dict[str, int] = {}
    for sub in workflow.subprocesses.values():  # in the order they were created
        process_id = sub.spec.name
        rounds[process_id] = rounds.get(process_id, 0) + 1
        found.append(_diagram(sub, rounds[process_id], process_files))
    return found


def _diagram(flow, round_no: int, process_files: dict) -> Diagram:
    done, current, predicted = set(), set(), set()
    for task in flow.tasks.values():
        element = getattr(task.task_spec, "bpmn_id", None)
        if not element:
            continue
        if task.state == TaskState.COMPLETED:
            done.add(element)
        elif task.state & _CURRENT and not _is_boundary_event(task.task_spec):
            current.add(element)
        elif task.state & _PREDICTED and task.parent is not None and _is_current(task.parent):
            predicted.add(element)
    spec = flow.spec
    return Diagram(process_id=spec.name, title=spec.description or spec.name, round=round_no,
                   xml=process_files.get(spec.name), done=tuple(sorted(done)),
                   current=tuple(sorted(current)), next=tuple(sorted(predicted - current)),
                   finished=flow.is_completed())


def _is_current(task) -> bool:
    """A predicted task counts as next when the task before it is current; SpiffWorkflow puts
    nameless helper tasks (joins, boundary splits) in between, so look through those."""
    while task is not None and not getattr(task.task_spec, "bpmn_id", None):
        task = task.parent
    return task is not None and bool(task.state & _CURRENT)


def _is_boundary_event(spec) -> bool:
    # A waiting boundary timer is a guard on the current task, not where the person is.
    return type(spec).__name__ == "BoundaryEvent"


# A human step sent whose completion then failed (ERROR, the instance in incident) was sent all
# the same: its answers are kept in its data, and retry runs it again with them.
SENT_STATES = (TaskState.COMPLETED, TaskState.ERROR)


def _completed_steps(workflow, version) -> list[CompletedStep]:
    steps = []
    for flow in (workflow, *workflow.subprocesses.values()):
        for task in flow.tasks.values():
            spec = task.task_spec
            if task.state not in SENT_STATES or not spec.manual or not getattr(spec, "bpmn_id", None):
                continue
            element = spec.bpmn_id
            steps.append(CompletedStep(
                task_id=str(task.id), element_id=element,
                name=version.task_names.get(element) or spec.bpmn_name or element,
                role=version.task_roles.get(element), form=version.task_forms.get(element),
                completed_at=datetime.fromtimestamp(task.last_state_change, timezone.utc),
                data=dict(task.data)))
    steps.sort(key=lambda s: s.completed_at)
    return steps


def _latest_data(workflow) -> dict:
    finished = [task for flow in (workflow, *workflow.subprocesses.values()) for task in flow.tasks.values()
                if task.state == TaskState.COMPLETED and getattr(task.task_spec, "bpmn_id", None)]
    # Steps run in one engine call share a time stamp; then the one created last wins.
    latest = max(enumerate(finished), key=lambda pair: (pair[1].last_state_change, pair[0]), default=None)
    return dict(latest[1].data) if latest else {}


def _waiting(workflow, instance_id: str) -> list[Waiting]:
    names = {}
    for flow in (workflow, *workflow.subprocesses.values()):
        for task in flow.tasks.values():
            spec = task.task_spec
            if task.state == TaskState.WAITING and getattr(spec, "bpmn_id", None) and not _is_boundary_event(spec):
                names[str(task.id)] = (spec.bpmn_id, spec.bpmn_name or spec.bpmn_id)
    timers = db.session.query(Timer.task_id, Timer.due_at).filter(Timer.instance_id == instance_id)
    return sorted((Waiting(names[t][0], names[t][1], due) for t, due in timers if t in names),
                  key=lambda w: w.due_at)
