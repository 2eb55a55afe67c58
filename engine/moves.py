"""Moving a running instance onto another version of its program (docs/ENGINE.md "Moving instances").

An instance is pinned to one immutable version. A move re-points its live task tree at the new
version's specs, matched by BPMN element id, and keeps everything else: task ids (so task links and
task lists stay right), task data, a waiting timer's start and therefore its due time, the clinician
task rows with their created and due times (an SLA keeps its deadline), a test run's own clock.

SpiffWorkflow's ``migrate_workflow`` is not used for the move itself: it resets every READY and
WAITING task, which gives them new ids and restarts their timers. Its ``SpecDiff`` still decides which
elements were removed or changed in kind. Only what lies ahead of the current steps (the predicted
tasks) is thrown away and predicted afresh from the new version.

``plan`` says per instance whether it can move and why not, reading only; ``move`` does it under
the row lock and, like every engine verb, flushes and never commits.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from SpiffWorkflow.bpmn.util.diff import SpecDiff
from SpiffWorkflow.util.task import TaskState

from engine import index, instances, move_data, spiff
from engine.db import db
from engine.errors import NotFound, TaskConflict, VersionRefused
from engine.identity import Actor
from engine.models import HumanTask, ProcessInstance

MOVABLE_STATUSES = ("running", "paused")
_CURRENT = TaskState.READY | TaskState.WAITING | TaskState.STARTED
_PREDICTED = TaskState.PREDICTED_MASK | TaskState.FUTURE  # not reached yet: ahead

# Why an instance cannot move; the screens translate the codes.
REMOVED = "removed"  # the element where the resident stands is not in the new version
CHANGED_KIND = "changed_kind"  # it is there, but as another kind of element (a task became a timer)
PROCESS_REMOVED = "process_removed"  # a called process the instance is in (or was in) is gone
STEP_REMOVED = "completed_step_removed"  # a completed human step (with its answers) would be lost
DATA_MISSING = "data_missing"  # an expression ahead reads a name nothing sets any more
NOT_OPEN = "not_open"  # ended, completed or cancelled: never moved
INCIDENT = "incident"  # stopped by an error: retry or end it first
SAME_VERSION = "same_version"
OTHER_PROGRAM = "other_program"  # the new version's main process is another process


@dataclass(frozen=True)
class Blocker:
    reason: str
    element_id: str | None = None
    name: str | None = None  # the element's name in the version it stands in, or the data name


@dataclass(frozen=True)
class MovePlan:
    """One instance's move: whether it can, why not, and where the resident stands before and after."""

    instance_id: str
    subject_id: str | None
    unit_id: str | None
    status: str
    from_version: str
    to_version: str
    blockers: tuple[Blocker, ...]
    now: tuple[str, ...]  # names of the elements the resident stands at today
    after: tuple[str, ...]  # the same places by the new version's names (empty if it cannot move)

    @property
    def can_move(self) -> bool:
        return not self.blockers


def candidates(version_hash: str, unit_id: str) -> list[str]:
    """The unfinished instances of a version on a unit (not test runs), oldest first: what a unit's
    move plans for. An instance in incident is listed so the plan can say why it stays."""
    table = ProcessInstance.__table__
    return list(db.session.scalars(
        select(table.c.id).where(table.c.version_hash == version_hash, table.c.unit_id == unit_id,
                                 table.c.status.in_(MOVABLE_STATUSES + ("incident",)),
                                 table.c.is_test.is_(False))
        .order_by(table.c.created_at, table.c.id)))


def plan(instance_ids, to_version_hash: str) -> list[MovePlan]:
    """Per instance, whether it can move to ``to_version_hash``. Reads only, takes no lock."""
    target = instances.version_info(to_version_hash)
    found = []
    for instance_id in ([instance_ids] if isinstance(instance_ids, str) else instance_ids):
        row = db.session.get(ProcessInstance, instance_id)
        if row is None:
            raise NotFound("no such process instance")
        found.append(_plan_row(row, target))
    return found


def _plan_row(row, target) -> MovePlan:
    base = dict(instance_id=row.id, subject_id=row.subject_id, unit_id=row.unit_id, status=row.status,
                from_version=row.version_hash, to_version=target.content_hash)
    early = _status_blocker(row, target)
    if early:
        return MovePlan(**base, blockers=(early,), now=(), after=())
    try:
        source = instances.version_info(row.version_hash)
    except VersionRefused:  # its instances have gone to incident with it (engine/integrity.py)
        return MovePlan(**base, blockers=(Blocker(INCIDENT, instances.VERSION_ELEMENT),), now=(), after=())
    workflow = spiff.load_state(row.state, source.spec, source.subprocess_specs)
    now, blockers = _assess(workflow, source, target)
    after = _standing(workflow, target) if not blockers else ()
    return MovePlan(**base, blockers=tuple(blockers), now=now, after=after)


def _assess(workflow, source, target) -> tuple[tuple[str, ...], list]:
    """Where the instance stands, and what stops it moving; when nothing does, the workflow has been
    migrated in place (the data check needs to see what lies ahead on the new version)."""
    now = _standing(workflow, source)
    blockers = _blockers(workflow, target)
    if not blockers:
        _migrate(workflow, target)
        blockers = _data_blockers(workflow, target)
    return now, blockers


def _data_blockers(workflow, target) -> list[Blocker]:
    return [Blocker(DATA_MISSING, element, name) for element, name in move_data.missing_names(workflow, target)]


def _status_blocker(row, target) -> Blocker | None:
    if row.status == "incident":
        return Blocker(INCIDENT, row.incident_element)
    if row.status not in MOVABLE_STATUSES:
        return Blocker(NOT_OPEN)
    if row.version_hash == target.content_hash:
        return Blocker(SAME_VERSION)
    if row.process_id != target.main_process:
        return Blocker(OTHER_PROGRAM)
    return None


def move(instance_id: str, to_version_hash: str, actor: Actor) -> MovePlan:
    """Move one instance under its row lock; a move that cannot be made raises TaskConflict with
    the reasons and changes nothing. A paused instance moves and stays paused. Who may move was
    decided by the caller (catalogue.moves: the care provider's administrator)."""
    target = instances.version_info(to_version_hash)
    instance = instances.lock_instance(instance_id)
    early = _status_blocker(instance, target)
    if early:
        raise MoveRefused((early,))
    run = instances.open_run(instance, actor.id)
    now, blockers = _assess(run.workflow, run.version, target)
    if blockers:
        raise MoveRefused(tuple(blockers))
    old_hash = instance.version_hash
    instance.version_hash, instance.process_id = target.content_hash, target.main_process
    run.version = target
    run.record("moved", detail=f"{old_hash}>{target.content_hash}", actor_id=actor.id)
    was_paused = instance.status == "paused"
    instances.save(run, keep_paused=was_paused)
    _refresh_task_rows(run)
    return MovePlan(instance_id=instance.id, subject_id=instance.subject_id, unit_id=instance.unit_id,
                    status=instance.status, from_version=old_hash, to_version=target.content_hash,
                    blockers=(), now=now, after=_standing(run.workflow, target))


class MoveRefused(TaskConflict):
    """The instance cannot move; ``blockers`` says why. Nothing was changed."""

    def __init__(self, blockers: tuple[Blocker, ...]):
        self.blockers = blockers
        super().__init__("the instance cannot move to this version: " +
                         ", ".join(b.reason + (f" ({b.element_id})" if b.element_id else "") for b in blockers))


def _flows(workflow):
    """The main process and every called or embedded process, each with its own tasks."""
    return (workflow, *workflow.subprocesses.values())


def _blockers(workflow, target) -> list[Blocker]:
    """What in the instance the new version has no place for. Decided by element id: the diff's
    structural guess for a renamed id is not trusted with someone's treatment."""
    registry = spiff.spec_registry()
    found = []
    for flow in _flows(workflow):
        new_spec = target.spec if flow is workflow else target.subprocess_specs.get(flow.spec.name)
        if new_spec is None:
            found.append(Blocker(PROCESS_REMOVED, flow.spec.name, flow.spec.description or flow.spec.name))
            continue
        diff = SpecDiff(registry, flow.spec, new_spec)
        for task in flow.tasks.values():
            found.extend(_task_blockers(task, new_spec, diff))
    return _unique(found)


def _task_blockers(task, new_spec, diff) -> list[Blocker]:
    spec = task.task_spec
    element, name = getattr(spec, "bpmn_id", None) or spec.name, getattr(spec, "bpmn_name", None)
    candidate = new_spec.task_specs.get(spec.name)
    if task.has_state(_PREDICTED):
        return []  # ahead: predicted afresh from the new version
    if task.has_state(_CURRENT):
        if candidate is None:
            return [Blocker(REMOVED, element, name)]
        if ("typename" in diff.comparisons.get(spec, []) or _called(spec) != _called(candidate)
                or _attached(task.parent.task_spec if task.parent else None) != _attached_in(candidate)):
            return [Blocker(CHANGED_KIND, element, name)]
        return []
    if candidate is None and spec.manual and getattr(spec, "bpmn_id", None):
        return [Blocker(STEP_REMOVED, element, name)]
    return []


def _attached(split) -> frozenset | None:
    """The events attached to a step (its boundary events), seen from the split before it. A step
    that gained or lost one cannot keep its place: SpiffWorkflow armed the events when it began."""
    if split is None or type(split).__name__ != "BoundaryEventSplit":
        return None
    return frozenset(output.name for output in split.outputs)


def _attached_in(spec) -> frozenset | None:
    return next((_attached(parent) for parent in spec.inputs if _attached(parent) is not None), None)


def _called(spec):
    """The process a call activity calls (another called process is another kind of place)."""
    return getattr(spec, "spec", None) if type(spec).__name__ in ("CallActivity",) else None


def _unique(blockers):
    seen, found = set(), []
    for blocker in blockers:
        if blocker not in seen:
            seen.add(blocker)
            found.append(blocker)
    return found


def _migrate(workflow, target) -> None:
    """Re-point the task tree at the new specs in place (``_blockers`` found nothing in the way)."""
    for flow in _flows(workflow):
        new_spec = target.spec if flow is workflow else target.subprocess_specs[flow.spec.name]
        bereft = _forget_prediction(flow)
        _splice_removed(flow, new_spec)
        flow.spec = new_spec
        for task in flow.tasks.values():
            task.task_spec = new_spec.task_specs[task.task_spec.name]
        _predict_again(flow, bereft)
    workflow.subprocess_specs = target.subprocess_specs


def _forget_prediction(flow) -> set:
    """Drop every predicted task: what lies ahead is the new version's to say. Returns the ids of
    the tasks whose predicted children went."""
    bereft = set()
    for task in list(flow.tasks.values()):
        if task.id in flow.tasks and task.has_state(_PREDICTED) and not _predicted(task.parent):
            parent = task.parent
            for gone in list(task):
                flow.tasks.pop(gone.id, None)
            if parent is not None:
                parent._children = [c for c in parent._children if c != task.id]
                bereft.add(parent.id)
    return bereft


def _predicted(task) -> bool:
    return task is not None and task.has_state(_PREDICTED)


def _splice_removed(flow, new_spec) -> None:
    """Finished tasks whose element the new version removed (a gateway, an event, a script passed
    long ago) leave the tree; their children hang from their parent. The history table keeps them."""
    for task in list(flow.tasks.values()):
        if task.task_spec.name in new_spec.task_specs or task.parent is None:
            continue
        parent = task.parent
        position = parent._children.index(task.id)
        parent._children[position:position + 1] = task._children
        for child in task.children:
            child._parent = parent.id
        flow.tasks.pop(task.id)
    if flow.last_task is not None and flow.last_task.id not in flow.tasks:
        flow.last_task = None


def _predict_again(flow, bereft: set) -> None:
    """Each task that lost what it had predicted (and each current task with nothing after it)
    predicts what follows it by the new version's flows."""
    for task in list(flow.tasks.values()):
        if not task.children and (task.id in bereft or task.has_state(_CURRENT)):
            task.task_spec._predict_hook(task)
            task.task_spec._predict(task, mask=TaskState.PREDICTED_MASK | TaskState.FUTURE)


def _standing(workflow, version) -> tuple[str, ...]:
    """Where the resident stands: the names of the current steps and waits, called processes too."""
    names = []
    for flow in _flows(workflow):
        for task in flow.tasks.values():
            spec = task.task_spec
            element = getattr(spec, "bpmn_id", None)
            if element and task.has_state(_CURRENT) and type(spec).__name__ != "BoundaryEvent":
                names.append(version.task_names.get(element) or spec.bpmn_name or element)
    return tuple(names)


_HT = HumanTask.__table__
_RENAME_TASK = (update(_HT).where(_HT.c.id == bindparam("task_id"))
                .values(name=bindparam("new_name"), role=bindparam("new_role"), form=bindparam("new_form"),
                        assignee_id=bindparam("new_assignee")))


def _refresh_task_rows(run) -> None:
    """Open task rows survive the move with their ids, created and due times; the new version may
    have renamed a step or given it another form, and the task list should say so."""
    version, changes = run.version, []
    held = {row.id: row for row in db.session.execute(
        select(_HT.c.id, _HT.c.role, _HT.c.assignee_id).where(_HT.c.instance_id == run.instance.id))}
    for task in instances.ready_tasks(run.workflow, manual=True):
        element, current = task.task_spec.bpmn_id, held.get(str(task.id))
        if current is None:
            continue  # a new row, written by the save with the new version's names
        role = version.task_roles.get(element) or "behandlare"
        # A claimed or reassigned step keeps its person unless the step now belongs to another role.
        assignee = current.assignee_id if role == current.role else index.assignee_for(run.instance, role)
        changes.append(dict(task_id=str(task.id),
                            new_name=version.task_names.get(element) or task.task_spec.bpmn_name or element,
                            new_role=role, new_form=version.task_forms.get(element), new_assignee=assignee))
    if changes:
        db.session.execute(_RENAME_TASK, changes)
