"""Repeating boundary timers (``timeCycle``), run as BPMN says.

SpiffWorkflow 3.2.0 runs a ``timeCycle`` boundary timer (e.g. ``R3/P1W`` reminders on a diary task)
as one task that stays WAITING and hangs the branch of each firing under itself. Two things follow
that BPMN does not say:

- a firing is not a completed task, so the history saw none of them (only the timer's final
  completion, when the activity outlived the cycle);
- when the activity completes, its boundary join cancels the still-waiting timer task, and
  cancelling a task drops its unfinished children: the reminders already on someone's list vanish
  and the instance ends "completed" with them open;
- an interrupting cycle never interrupts (the join waits for a completed timer task), so the task
  stays open and every cycle fires.

So after every firing the engine moves the firing's branch under a completed copy of the boundary
event under the same split: the shape a one-off non-interrupting timer leaves, which the join does
not touch and the end of the process waits for. Once the cycle has fired its last time, nothing is
left to wait for, so the waiting timer task is cancelled (it has no children left to drop). An
interrupting cycle stops at its first firing, which then interrupts the task as a one-off would.
"""
from __future__ import annotations

import copy

from SpiffWorkflow.bpmn.specs.control import BoundaryEventJoin
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition
from SpiffWorkflow.util.task import TaskState


def detach_cycle_firings(workflow) -> list:
    """Give each new firing of a boundary cycle its own completed boundary event; return the timer
    specs that fired, one per firing, in order."""
    fired = []
    for task in list(workflow.event_manager.tasks.values()):
        if not _is_boundary_cycle(task):
            continue
        for branches in _firings(task):
            firing = _give_own_firing(task, branches)
            fired.append(task.task_spec)
            if task.task_spec.cancel_activity:
                _interrupt(task, firing)
                break
        if task.state == TaskState.WAITING and _cycle_done(task):
            task.cancel()
    return fired


def _is_boundary_cycle(task) -> bool:
    spec = task.task_spec
    return (task.state == TaskState.WAITING and isinstance(getattr(spec, "event_definition", None), CycleTimerEventDefinition)
            and hasattr(spec, "cancel_activity") and task.parent is not None)


def _firings(timer) -> list[tuple]:
    """A firing adds one child per outgoing connection of the timer (its flow and the boundary
    join), in that order; the n-th child of each is the n-th firing."""
    by_spec = [[c for c in timer.children if c.task_spec is spec] for spec in timer.task_spec.outputs]
    return list(zip(*by_spec))


def _give_own_firing(timer, branches):
    firing = timer.parent._add_child(timer.task_spec, TaskState.COMPLETED)
    firing.data = copy.deepcopy(timer.data)
    for branch in branches:
        timer._children.remove(branch.id)
        firing._children.append(branch.id)
        branch.parent = firing
    return firing


def _interrupt(timer, firing) -> None:
    """An interrupting timer fires once: its first firing ends the activity. The timer waits no
    more; the boundary join under the firing, looked at again, now sees a completed interrupting
    event and cancels the activity, as after a one-off timer."""
    timer.cancel()
    for child in firing.children:
        if child.has_state(TaskState.NOT_FINISHED_MASK) and isinstance(child.task_spec, BoundaryEventJoin):
            child.task_spec._update(child)


def _cycle_done(task) -> bool:
    value = task.internal_data.get("event_value")
    return task.internal_data.get("event_fired") or (isinstance(value, dict) and value.get("cycles") == 0)
