"""Messages the platform itself sends to waiting instances, under names a designer gives a
message catch event (docs/ENGINE.md, "Messages the platform sends"):

- ``vardflode.resident_message``: the resident sent a message to the unit that runs the program.
  The payload says only when (``resident_message_at``), never what: the text stays in messaging.
- ``vardflode.action.<name>``: a clinician on the program's unit pressed the button the program
  page shows while the instance waits for it, labelled with the catch event's name.
  Payload: ``action_pressed_at``.

Both reach only the named resident's or instance's own waits, never every instance of a program.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from engine import clock, instances, operations
from engine.db import db
from engine.errors import Forbidden, NotFound, TaskConflict
from engine.identity import Actor
from engine.models import EventWait, ProcessInstance
from engine.reserved_messages import ACTION_PREFIX, RESIDENT_MESSAGE, action_of, is_action_name

ACTION_ROLE = "behandlare"


@dataclass(frozen=True)
class WaitingAction:
    """A button for the program page: the action's name (the part after the prefix) and its label."""

    name: str
    label: str


def resident_message_sent(subject_id: str, unit_id: str) -> list[operations.Outcome]:
    """The resident wrote to the unit: their running instances on that unit that wait for it catch
    it. Called in the transaction that stores the message; the caller commits."""
    table = ProcessInstance.__table__
    ids = set(db.session.scalars(select(table.c.id).where(
        table.c.subject_id == subject_id, table.c.unit_id == unit_id, table.c.status == "running")))
    if not ids:
        return []
    payload = {"resident_message_at": clock.now().isoformat()}
    return operations.deliver("message", RESIDENT_MESSAGE, payload, {}, only=ids)


def press_action(instance_id: str, action: str, actor: Actor) -> operations.Outcome:
    """A clinician pressed the named action's button. TaskConflict when the instance no longer
    waits for it (someone pressed it first, or a timer won the race)."""
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None or not is_action_name(action):
        raise NotFound("no such program or action")
    if not actor.may_act_as(ACTION_ROLE, instance.unit_id):
        raise Forbidden("you do not hold the clinician role on this program's unit")
    payload = {"action_pressed_at": clock.now().isoformat()}
    outcomes = operations.deliver("message", ACTION_PREFIX + action, payload, {}, only={instance_id},
                                  actor_id=actor.id)
    if not outcomes:
        raise TaskConflict("the program no longer waits for this action")
    return outcomes[0]


def send_to(instance_id: str, kind: str, name: str) -> bool:
    """A message or signal with an empty payload to one instance (the simulate driver's ``_send``
    of a name the program throws itself); True when it caught it."""
    return bool(operations.deliver(kind, name, {}, {}, only={instance_id}))


def waiting_actions(instance_id: str) -> tuple[WaitingAction, ...]:
    """The named actions the instance waits for now, labelled as the BPMN names their catch events."""
    names = sorted(set(db.session.scalars(select(EventWait.name).where(
        EventWait.instance_id == instance_id, EventWait.kind == "message",
        EventWait.name.startswith(ACTION_PREFIX, autoescape=True)))))
    actions = [(action_of(n), n) for n in names if action_of(n)]
    if not actions:
        return ()
    instance = db.session.get(ProcessInstance, instance_id)
    labels = _catch_event_names(instances.version_info(instance.version_hash))
    return tuple(WaitingAction(a, labels.get(n) or a.replace("_", " ")) for a, n in actions)


def _catch_event_names(version) -> dict[str, str]:
    """Message name -> the name the designer gave a catch event of it (the first one named)."""
    found: dict[str, str] = {}
    for spec in (version.spec, *version.subprocess_specs.values()):
        for task_spec in spec.task_specs.values():
            definition = getattr(task_spec, "event_definition", None)
            name = getattr(definition, "name", None)
            if "Message" in type(definition).__name__ and name and task_spec.bpmn_name:
                found.setdefault(name, task_spec.bpmn_name)
    return found
