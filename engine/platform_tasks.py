"""Platform tasks: steps the platform itself puts on a task list, outside any program's BPMN.
Today there is one: "new resident handed over", on the receiving unit after a hand-over.

A platform task is a ``human_task`` row whose element id starts with ``platform:`` – a colon never
occurs in a BPMN id, so no program element can be taken for one. The index sync never touches it:
it changes only the rows the instance lists in ``index_keys``, and platform rows are not listed
there. Completing one deletes its row and writes a history event under the instance lock; the
workflow state is neither loaded nor changed. Ending the program removes it with the rest.
"""
from __future__ import annotations

from uuid import uuid4

from sqlalchemy import delete, insert, select

from engine import clock, index, rows
from engine.db import db
from engine.errors import TaskConflict
from engine.identity import Actor
from engine.models import HumanTask, InstanceEvent, ProgramVersion
from engine.rows import InstanceRow

PREFIX = "platform:"
HANDOVER = PREFIX + "handover"
HANDOVER_NAME = "New resident handed over"  # the screens show it translated (by element id)
HANDOVER_ROLE = "behandlare"


def is_platform(element_id: str | None) -> bool:
    return bool(element_id) and element_id.startswith(PREFIX)


def put_handover(instance: InstanceRow) -> str:
    """The receiving unit's task to take the resident over: for its clinicians (the named new
    owner's, when there is one), flagged for attention, due in the program's working days. A
    hand-over not yet taken over is replaced, so there is at most one."""
    remove(instance.id)
    meta = db.session.scalar(select(ProgramVersion.meta).where(ProgramVersion.content_hash == instance.version_hash))
    now = clock.now()
    task_id = str(uuid4())
    db.session.execute(insert(HumanTask.__table__).values(
        id=task_id, instance_id=instance.id, element_id=HANDOVER, name=HANDOVER_NAME, role=HANDOVER_ROLE,
        unit_id=instance.unit_id, assignee_id=instance.owner_id, form=None,
        due_at=index.default_due(meta, HANDOVER_ROLE, now), priority=index.PRIORITIES["attention"], created_at=now))
    return task_id


def remove(instance_id: str) -> None:
    """Every platform task of the instance (the program ended, or a newer hand-over replaces it)."""
    db.session.execute(delete(HumanTask).where(HumanTask.instance_id == instance_id,
                                               HumanTask.element_id.startswith(PREFIX, autoescape=True)))


def complete(task_id: str, element_id: str, actor: Actor, instance: InstanceRow) -> None:
    """Done ("taken over"): the row goes and the history says who did it. The caller checked the
    actor's role on the task's unit and holds the instance lock; a second completion conflicts."""
    gone = db.session.execute(delete(HumanTask).where(HumanTask.id == task_id, HumanTask.element_id == element_id))
    if gone.rowcount != 1:
        raise TaskConflict("the task was completed by someone else")
    instance.updated_at = clock.now()
    rows.write(instance)
    db.session.execute(insert(InstanceEvent.__table__).values(
        instance_id=instance.id, at=instance.updated_at, kind="taken_over" if element_id == HANDOVER else "completed",
        element_id=element_id, role=HANDOVER_ROLE, actor_id=actor.id))
