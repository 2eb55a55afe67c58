"""Namespaces and small lxml helpers shared by the package rules."""
from __future__ import annotations

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"


def q(tag: str, ns: str = BPMN) -> str:
    return f"{{{ns}}}{tag}"


def local(el) -> str:
    return el.tag.split("}", 1)[-1] if isinstance(el.tag, str) else ""


# Parts of an element that a designer does not click on: report their owner instead.
_INNER_PARTS = {
    "timerEventDefinition", "messageEventDefinition", "signalEventDefinition",
    "conditionalEventDefinition", "errorEventDefinition", "escalationEventDefinition",
    "terminateEventDefinition", "standardLoopCharacteristics", "multiInstanceLoopCharacteristics",
    "conditionExpression", "timeDuration", "timeDate", "timeCycle", "loopCardinality",
    "completionCondition", "loopCondition", "script", "extensionElements",
}


def nearest_id(el) -> str:
    """The id of the element or its closest ancestor that has one: what a designer can find."""
    while el is not None:
        if isinstance(el.tag, str) and el.get("id") and local(el) not in _INNER_PARTS:
            return el.get("id")
        el = el.getparent()
    return "(document)"
