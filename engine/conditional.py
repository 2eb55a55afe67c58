"""Conditional catch events see the process's data, not only their own branch's copy.

BPMN: a conditional event fires when its condition becomes true in the process's data, whichever
branch changed it. SpiffWorkflow 3.2.0 gives each parallel branch its own copy of the task data
and evaluates a conditional event only against the waiting task's copy, when the task is reached;
an answer given on another branch is never seen and the branch waits for ever (a stall incident).

After every engine round (``instances.advance``) each waiting conditional catch event is checked
again against the process data as BPMN means it: every completed task's writes in its process (or
subprocess), replayed in the order they were made, so the last write wins as it would in one
shared store. Process-level data objects stay the external context, as SpiffWorkflow has them.
The condition is evaluated by the sandbox only (the workflow's script environment). When it
holds, the waiting branch takes that data on (the flow after the event sees what made it fire)
the event is made ready, so it runs like a condition true on arrival.
"""
from __future__ import annotations

from copy import deepcopy

from SpiffWorkflow.bpmn.specs.event_definitions.conditional import ConditionalEventDefinition
from SpiffWorkflow.util.task import TaskState

_DELETED = object()
ORDER_KEY = "vardflode_order"  # in a completed task's internal data: [lock version, nth completion]


def stamp(task, order: tuple[int, int]) -> None:
    """Remember when, in the engine's own order, the task completed (for ``process_data``)."""
    task.internal_data[ORDER_KEY] = list(order)


def fire_true_conditions(workflow) -> int:
    """Make every waiting conditional catch event whose condition now holds ready; how many."""
    fired = 0
    for task in _waiting_conditionals(workflow):
        data = process_data(task.workflow)
        if _holds(task, data):
            _fire(task, data)
            fired += 1
    return fired


def _fire(task, data: dict) -> None:
    """What SpiffWorkflow does for a condition true on arrival, on the process's data. Not via
    ``_update``: it merges the branch's stale parent data back over the data first."""
    task.data = deepcopy(data)  # the branch goes on with the data that made it fire
    task._set_internal_data(has_fired=True)
    task._ready()  # leaves the event manager; the next engine steps run it


def _waiting_conditionals(workflow) -> list:
    # The event manager holds every waiting catch event of the workflow and its subprocesses;
    # sorted so the firing order never depends on dict order after a reload.
    tasks = [t for t in workflow.event_manager.tasks.values()
             if t.state == TaskState.WAITING
             and isinstance(getattr(t.task_spec, "event_definition", None), ConditionalEventDefinition)]
    return sorted(tasks, key=lambda t: (t.task_spec.name, str(t.id)))


def _holds(task, data: dict) -> bool:
    expression = task.task_spec.event_definition.expression
    environment = task.workflow.script_engine.environment  # the sandbox (engine/spiff.py)
    return bool(environment.evaluate(expression, data, external_context=task.workflow.data_objects))


def process_data(flow) -> dict:
    """The data of one process as one shared store: each completed task's changes to the data it
    inherited, applied in completion order: by time, then by the engine's stamp (a frozen or coarse
    clock gives ties), then nearer the start first and by element id, so a reload agrees."""
    depth: dict = {}
    done = [t for t in flow.tasks.values() if t.state == TaskState.COMPLETED]
    done.sort(key=lambda t: (t.last_state_change, tuple(t.internal_data.get(ORDER_KEY, (-1, 0))),
                             _depth(t, depth), t.task_spec.name))
    data: dict = {}
    for task in done:
        for key, value in _changes(task).items():
            if value is _DELETED:
                data.pop(key, None)
            else:
                data[key] = value
    return data


def _changes(task) -> dict:
    """What the task wrote: its data against what it inherited from its parent."""
    before = task.parent.data if task.parent is not None else {}
    changes = {k: v for k, v in task.data.items() if k not in before or before[k] != v}
    changes.update({k: _DELETED for k in before if k not in task.data})
    return changes


def _depth(task, memo: dict) -> int:
    """Steps from the root, remembered: iterative, so a long history cannot hit the recursion limit."""
    chain = []
    while task is not None and task.id not in memo:
        chain.append(task)
        task = task.parent
    base = memo[task.id] if task is not None else -1
    for offset, item in enumerate(reversed(chain), start=1):
        memo[item.id] = base + offset
    return memo[chain[0].id]
