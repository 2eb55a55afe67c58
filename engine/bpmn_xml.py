"""Namespaces and small lxml helpers shared by the package rules."""
from __future__ import annotations

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"


def q(tag: str, ns: str = BPMN) -> str:
    return f"{{{ns}}}{tag}"


def local(el) -> str:
    return el.tag.split("}", 1)[-1] if isinstance(el.tag, str) else ""


def nearest_id(el) -> str:
    """The id of the element or its closest ancestor that has one: what a designer can find."""
    while el is not None:
        if isinstance(el.tag, str) and el.get("id"):
            return el.get("id")
        el = el.getparent()
    return "(document)"
