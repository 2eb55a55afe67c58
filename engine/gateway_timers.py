"""Each timer after an event-based gateway waits its own time, and the earliest one wins.

SpiffWorkflow 3.2.0 moves the catch events after an event-based gateway into one
``MultipleEventDefinition`` on the gateway's task, and that task has one ``event_value``: every
timer there shares the due time of whichever was evaluated first (7 days against 14 days fires at
7 or at 14 depending on the drawing order), the loop skips the timer after one that fired (it
removes from the list it iterates), and a cycle there never fires. We replace ``has_fired`` so
that each timer's due time is kept apart in the task's internal data (``timer_dues``, by the
timer's position), only the earliest due timer is taken, and ``due_times`` tells the index what
the task waits for. The gateway's messages and signals are caught as before.
"""
from __future__ import annotations

from datetime import datetime, timezone

from engine import clock

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (CycleTimerEventDefinition,
                                                              DurationTimerEventDefinition,
                                                              TimeDateEventDefinition,
                                                              TimerEventDefinition)
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import EventBasedGateway
from SpiffWorkflow.bpmn.util import BpmnEvent

DUES = "timer_dues"


def install() -> None:
    MultipleEventDefinition.has_fired = _has_fired


def is_timer(definition) -> bool:
    return isinstance(definition, TimerEventDefinition)


def due_times(definition, task) -> list[tuple[int, datetime]]:
    """(position, due time) of each timer of ``definition`` not yet seen on ``task``."""
    if not isinstance(definition, MultipleEventDefinition):
        return []
    dues = task.internal_data.get(DUES) or {}
    seen = _seen_positions(definition, task)
    return [(i, datetime.fromisoformat(dues[str(i)])) for i, d in enumerate(definition.event_definitions)
            if is_timer(d) and str(i) in dues and i not in seen]


def _has_fired(self, my_task):
    seen_events = list(my_task.internal_data.get("seen_events", []))
    _note_dues(self, my_task)
    now = clock.now()
    fired = sorted((due, i) for i, due in due_times(self, my_task) if due < now)
    if fired and not self.parallel:
        fired = fired[:1]  # "whichever comes first": one branch, the earliest timer's
    for _due, i in fired:
        seen_events.append(BpmnEvent(self.event_definitions[i]))
    my_task.internal_data["seen_events"] = seen_events
    if self.parallel:
        return not [d for i, d in enumerate(self.event_definitions) if i not in _seen_positions(self, my_task)]
    return len(seen_events) > 0


def _note_dues(definition, task) -> None:
    """Work out each timer's due time once, the first time the task waits."""
    if not any(is_timer(d) for d in definition.event_definitions):
        return
    dues = task.internal_data.setdefault(DUES, {})
    for i, timer in enumerate(definition.event_definitions):
        if is_timer(timer) and str(i) not in dues:
            dues[str(i)] = _first_due(timer, task).astimezone(timezone.utc).isoformat()


def _first_due(definition, task) -> datetime:
    """When the timer first fires: now + a duration, the date, or a cycle's first firing."""
    value = task.workflow.script_engine.evaluate(task, definition.expression)
    if isinstance(definition, DurationTimerEventDefinition):
        parsed = TimerEventDefinition.parse_iso_duration(value)
        return clock.now() + TimerEventDefinition.get_timedelta_from_start(parsed)
    if isinstance(definition, CycleTimerEventDefinition):
        return TimerEventDefinition.parse_iso_recurring_interval(value)[1]
    return TimerEventDefinition.parse_time_or_duration(value)


def _seen_positions(definition, task) -> set[int]:
    seen = set()
    for event in task.internal_data.get("seen_events", []):
        for i, candidate in enumerate(definition.event_definitions):
            if candidate is event.event_definition or (i not in seen and candidate == event.event_definition):
                seen.add(i)
                break
    return seen


def is_date(definition) -> bool:
    return isinstance(definition, TimeDateEventDefinition)


def definitions_of(definition) -> list:
    """The event definitions a waiting task can catch: a gateway's (or a multiple event's) all."""
    if isinstance(definition, MultipleEventDefinition):
        return list(definition.event_definitions)
    return [definition]


def fired_behind_gateway(task) -> bool:
    """Whether ``task`` is a timer catch event an event-based gateway chose. SpiffWorkflow moves
    the timer from the event to the gateway (the event is left a plain "none" event), so only the
    gateway's list, in the order of its outputs, still says the event was a timer."""
    gateway = task.parent.task_spec if task.parent is not None else None
    if not isinstance(gateway, EventBasedGateway) or task.task_spec not in gateway.outputs:
        return False
    definitions = gateway.event_definition.event_definitions
    position = gateway.outputs.index(task.task_spec)
    return position < len(definitions) and is_timer(definitions[position])


def timer_element(task, position: int) -> str:
    """The element id of a gateway's timer at ``position`` (the gateway's outputs are its events)."""
    spec = task.task_spec
    outputs = spec.outputs if isinstance(spec, EventBasedGateway) else []
    return (outputs[position].bpmn_id if position < len(outputs) else None) or spec.bpmn_id or ""
