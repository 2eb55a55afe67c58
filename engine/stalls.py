"""No silent stall: a running instance that nothing can move on goes to incident at once.

A program that waits for no person, no timer and no event it can receive would otherwise stay
"running" forever with nobody told (a timer the index could not see, a join waiting for a branch
that never comes). Checked in ``instances.save`` after the index sync, so the incident is written
in the same save that caused the stall, and it is shown with a retry like every other incident.
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.util.task import TaskState

from engine import faults


class Stalled(Exception):
    """Nothing the platform can do will move the instance on."""


def check(run) -> None:
    """After the index sync: running, yet no ready task, no timer row and no event wait row."""
    keys = run.instance.index_keys or {}
    if run.instance.status != "running" or run.ready or keys.get("t") or keys.get("w"):
        return
    if _engine_work_left(run.workflow):  # advance stopped at its round limit; the next call goes on
        return
    element = stalled_element(run.workflow)
    faults.raise_incident(run, Stalled(f"stalled at {element}: nothing can move this program on"), element=element)


def stalled_element(workflow) -> str:
    """Where the program stands: a waiting task (a catch event, a join), else an open one."""
    tasks = [t for flow in (workflow, *workflow.subprocesses.values()) for t in flow.tasks.values()]
    for state in (TaskState.WAITING, TaskState.STARTED):
        # the innermost, latest first: a subprocess's own wait, not its caller
        waiting = [t for t in reversed(tasks) if t.state == state and getattr(t.task_spec, "bpmn_id", None)]
        waiting.sort(key=_waits_on_others)  # stable: keeps that order otherwise
        if waiting:
            return waiting[0].task_spec.bpmn_id
    return "(process)"


def _waits_on_others(task) -> bool:
    """An inclusive join waits only while some other unfinished task can still reach it, so when
    another task waits too, that one is where the program is stuck, not the join."""
    return isinstance(task.task_spec, InclusiveGateway)


def _engine_work_left(workflow) -> bool:
    return any(t.state == TaskState.READY for flow in (workflow, *workflow.subprocesses.values())
               for t in flow.tasks.values())
