"""What a task screen needs to fill in its instructions: the task's own data (plain values only)
and the package's texts (``texts/<name>.md``). Read-only: no lock, nothing saved.

The data is read from the stored state because the index tables keep no task data; one task
screen reads one instance, which costs what opening it for a completion costs.
"""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


from engine import instances, spiff
from engine.db import db
from engine.models import HumanTask, ProcessInstance
from engine.progress import SENT_STATES
from engine.queries import instructions_of

PLAIN = (str, int, float, bool)


@dataclass(frozen=True)
class TaskContext:
    version_hash: str
    data: dict  # name -> text, number or yes/no; lists and mappings left out
    texts: dict  # text name (file name without folder and .md) -> Markdown


@dataclass(frozen=True)
class DoneStep:
    """A human task someone completed, to show again: its instructions as the person saw them
    (filled from the data the task had) – a module page the resident wants to read once more."""

    element_id: str
    name: str
    role: str | None
    instructions: str
    context: TaskContext


def task_context(task_id: str) -> TaskContext | None:
    row = db.session.get(HumanTask, task_id)
    instance = db.session.get(ProcessInstance, row.instance_id) if row is not None else None
    if instance is None:
        return None
    version = instances.version_info(instance.version_hash)
    task = _task(instance, version, task_id)
    return TaskContext(instance.version_hash, _plain(task.data if task is not None else {}), version.texts)


def done_step(instance_id: str, task_id: str) -> DoneStep | None:
    """A completed human task of the instance; None for anything else (not done, not a person's)."""
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None:
        return None
    version = instances.version_info(instance.version_hash)
    task = _task(instance, version, task_id)
    if task is None or task.state not in SENT_STATES or not task.task_spec.manual:
        return None
    element = task.task_spec.bpmn_id
    return DoneStep(element, version.task_names.get(element) or task.task_spec.bpmn_name or element,
                    version.task_roles.get(element), instructions_of(version, element),
                    TaskContext(instance.version_hash, _plain(task.data), version.texts))


def _task(instance, version, task_id: str):
    try:
        wanted = UUID(task_id)
    except ValueError:
        return None
    if not instance.state:  # purged: the task data is gone
        return None
    workflow = spiff.load_state(instance.state, version.spec, version.subprocess_specs)
    # A plain lookup: SpiffWorkflow's get_task_from_id raises for an id it does not know.
    return next((flow.tasks[wanted] for flow in (workflow, *workflow.subprocesses.values())
                 if wanted in flow.tasks), None)


def _plain(data: dict) -> dict:
    return {k: v for k, v in data.items() if isinstance(k, str) and not k.startswith("_") and isinstance(v, PLAIN)}
