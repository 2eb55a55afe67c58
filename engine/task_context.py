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

PLAIN = (str, int, float, bool)


@dataclass(frozen=True)
class TaskContext:
    version_hash: str
    data: dict  # name -> text, number or yes/no; lists and mappings left out
    texts: dict  # text name (file name without folder and .md) -> Markdown


def task_context(task_id: str) -> TaskContext | None:
    row = db.session.get(HumanTask, task_id)
    instance = db.session.get(ProcessInstance, row.instance_id) if row is not None else None
    if instance is None:
        return None
    version = instances.version_info(instance.version_hash)
    workflow = spiff.load_state(instance.state, version.spec, version.subprocess_specs)
    task = workflow.get_task_from_id(UUID(task_id))
    data = task.data if task is not None else {}
    plain = {k: v for k, v in data.items() if isinstance(k, str) and not k.startswith("_") and isinstance(v, PLAIN)}
    return TaskContext(instance.version_hash, plain, version.texts)  # cached with the version
