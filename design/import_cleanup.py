"""What a BPMN file from another tool loses on import: the other tool's own settings.

Camunda, Signavio, Zeebe, Activiti and the like keep their settings in attributes and elements of
their own XML namespaces (``camunda:formKey``, ``signavio:signavioMetaData``). The platform reads
none of them, the validator refuses their elements, and the modeler offers no way to delete them,
so a draft that kept them could never be made to run. They are taken out here and each removal is
reported on the element that held it. Everything in the BPMN namespaces stays, also what cannot
run: the report and the diagram show that instead.
"""
from __future__ import annotations

from dataclasses import dataclass

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
DIAGRAM = {
    "http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC",
    "http://www.omg.org/spec/DD/20100524/DI",
}
# xsi:type says which kind of expression a formalExpression is; xml:lang is a text's language.
KEPT_ATTRIBUTE_NAMESPACES = {"http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/XML/1998/namespace"}
OURS = {BPMN, SPIFF} | DIAGRAM


@dataclass(frozen=True)
class Removed:
    """One foreign setting taken out: the id of the element that held it and its prefixed name."""

    element: str
    name: str
    is_attribute: bool


def strip_foreign(root) -> list[Removed]:
    """Remove other tools' attributes and elements from the tree; return what was removed."""
    removed: list[Removed] = []
    _strip_within(root, removed)
    return removed


def _strip_within(el, removed: list[Removed]) -> None:
    removed += _strip_attributes(el)
    for child in list(el):
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction (the parser drops them anyway)
        if _namespace(child.tag) not in OURS and not _holds_ours(child):
            removed.append(Removed(_owner_id(el), _prefixed(child, child.tag), False))
            el.remove(child)
        else:
            _strip_within(child, removed)


def _strip_attributes(el) -> list[Removed]:
    removed = []
    for name in list(el.attrib):
        namespace = _namespace(name)
        if namespace and namespace not in OURS | KEPT_ATTRIBUTE_NAMESPACES:
            removed.append(Removed(_owner_id(el), _prefixed(el, name), True))
            del el.attrib[name]
    return removed


def _holds_ours(el) -> bool:
    """A foreign element wrapping BPMN or diagram elements is kept: removing it would lose them."""
    return any(isinstance(inner.tag, str) and _namespace(inner.tag) in OURS for inner in el.iterdescendants())


def _owner_id(el) -> str:
    """The id a designer can find: the nearest BPMN element with an id (extensionElements has none)."""
    while el is not None:
        if isinstance(el.tag, str) and _namespace(el.tag) in OURS and el.get("id"):
            return el.get("id")
        el = el.getparent()
    return "(document)"


def _namespace(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def _prefixed(el, name: str) -> str:
    """``{http://camunda.org/schema/1.0/bpmn}formKey`` as the file wrote it: ``camunda:formKey``."""
    namespace, local = _namespace(name), name.split("}", 1)[-1]
    prefix = next((p for p, uri in el.nsmap.items() if uri == namespace and p), None)
    return f"{prefix}:{local}" if prefix else local if not namespace else f"{{{namespace}}}{local}"
