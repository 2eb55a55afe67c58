"""An event subprocess is armed only while the rest of its process is active.

BPMN: when a process's own flow has completed (no other token in it), the start events of its
event subprocesses are disarmed and the process completes; an event subprocess that has already
started is waited for. SpiffWorkflow 3.2.0 instead keeps an unstarted event subprocess (its start
event WAITING) in front of the process's end join, so a non-interrupting timer start fires days
after the flow ended (a reminder for a diary already sent) and the instance ends only when that
reminder is done. ``disarm_ended`` cancels such waits once they are all that is left of a
process and lets its end join pass; ``advance`` then runs the engine steps that follow.
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.specs.control import _EndJoin
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.util.task import TaskState

# States that hold a token: predicted (FUTURE, LIKELY, MAYBE) and finished tasks do not.
_HOLDS_TOKEN = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR


def disarm_ended(workflow) -> bool:
    """Cancel the unstarted event subprocesses of every (sub)process whose flow has ended; True
    when something was cancelled (its end join may now run)."""
    changed = False
    for flow in (workflow, *workflow.subprocesses.values()):
        armed = _only_armed_event_subprocesses(flow, workflow)
        if not armed:
            continue
        for task in armed:
            task.cancel()  # the library cancels the event subprocess's own workflow with it
        for join in _waiting_end_joins(flow):
            join.task_spec._update(join)  # nothing else re-checks a join whose inputs were cancelled
        changed = True
    return changed


def _only_armed_event_subprocesses(flow, top) -> list:
    """The flow's unstarted event subprocesses when nothing else in it holds a token; else []."""
    armed = []
    for task in flow.tasks.values():
        if not task.state & _HOLDS_TOKEN or isinstance(task.task_spec, _EndJoin):
            continue
        if task.state != TaskState.STARTED or not _is_unstarted_event_subprocess(task, flow, top):
            return []  # a live token (or an incident) elsewhere: the event subprocesses stay armed
        armed.append(task)
    return armed


def _is_unstarted_event_subprocess(task, flow, top) -> bool:
    # The stored spec restores an event subprocess as a plain SubWorkflowTask (the serializer keeps
    # no distinct type), so it is known by where the parser hangs it: directly on the process's Start.
    spec = task.task_spec
    if not isinstance(spec, SubWorkflowTask) or flow.spec.start not in spec.inputs:
        return False
    sub = top.subprocesses.get(task.id)
    return sub is not None and all(start.state == TaskState.WAITING for start in sub.task_tree.children)


def _waiting_end_joins(flow) -> list:
    return [t for t in flow.tasks.values() if isinstance(t.task_spec, _EndJoin) and t.state == TaskState.WAITING]
