"""Every fault in designer logic becomes an incident on the instance, never an error for the person
who happened to move it on.

A script, a gateway condition, a timer that cannot be scheduled or a message payload can fail in
ways no check at upload can rule out (a division by zero, a date past year 9999). Whatever such a
fault raises while the engine runs the workflow — inside SpiffWorkflow or in our own code under it —
puts the instance in the ``incident`` state with the element id and a plain reason, in the same
transaction as the work that led there, so the clinician's or resident's answers are kept and an
administrator sees it with a retry. Database errors and the engine's own refusals (a lost race, a
forbidden actor) are not designer faults: they still reach the caller.
"""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy.exc import SQLAlchemyError

from engine.errors import EngineError, SandboxError

# What reaches the caller as it is: the database failed, or the engine refused on purpose.
NOT_DESIGNER_FAULTS = (SQLAlchemyError,)
_PLAIN = {
    OverflowError: "a date or number is out of range (a timer too far ahead?)",
    MemoryError: "the step needed more memory than a step may use",
    RecursionError: "the step nested too deeply",
}


class StepBudgetExceeded(EngineError):
    """A program ran too many steps without waiting for anyone (a runaway loop)."""


class TimerOutOfRange(ValueError):
    """A timer's date lies further ahead than any timer may wait."""


@contextmanager
def designer_faults(run):
    """Turn any designer fault raised inside the block into an incident on ``run``'s instance."""
    try:
        yield
    except NOT_DESIGNER_FAULTS:
        raise
    except EngineError as err:
        if not isinstance(err, (SandboxError, StepBudgetExceeded)):
            raise
        raise_incident(run, err)
    except Exception as err:  # noqa: BLE001 - any other fault is the designer logic's, by definition
        raise_incident(run, err)


def raise_incident(run, err: Exception, element: str | None = None) -> None:
    """Put the instance in incident at the failing element, with a plain reason, in its history."""
    element = element or failing_element(err) or "(process)"
    message = plain_message(err)
    run.instance.status = "incident"
    run.instance.incident_element = element[:200]
    run.instance.incident_message = message[:1000]
    run.record("incident", element, detail=message[:1000])


def failing_element(err: Exception) -> str | None:
    """The BPMN id of the task the fault came from: SpiffWorkflow names it on its own exceptions;
    a bare one (OverflowError in a timer) is found on the innermost frame that held a task."""
    task = getattr(err, "task", None)
    element = getattr(getattr(task, "task_spec", None), "bpmn_id", None)
    if element:
        return element
    frame_element = None
    tb = err.__traceback__
    while tb is not None:
        for name in ("my_task", "task"):
            spec = getattr(tb.tb_frame.f_locals.get(name), "task_spec", None)
            if getattr(spec, "bpmn_id", None):
                frame_element = spec.bpmn_id
        tb = tb.tb_next
    return frame_element


def plain_message(err: Exception) -> str:
    """The reason an administrator reads: ours when we know one, else the first line of the error."""
    # SpiffWorkflow wraps our SandboxError in a WorkflowTaskException without keeping it.
    inner = err.__cause__ or err.__context__
    if isinstance(inner, SandboxError):
        return str(inner)
    for kind, text in _PLAIN.items():
        if isinstance(err, kind) or isinstance(inner, kind):
            return text
    text = str(err.args[0]) if err.args else type(err).__name__
    return (text.splitlines() or [type(err).__name__])[0]
