"""What changed between two versions of one BPMN file, compared element by element by id.

Why by id on the XML (through the engine's hardened parser) and not SpiffWorkflow's ``SpecDiff``
or bpmn-js-differ: ``SpecDiff`` compares parsed task specs, so both versions must parse with
SpiffWorkflow (a draft under review may not), it knows no sequence flows, lanes or documentation,
and it aligns a renamed id by structure, which draws a picture nobody asked for. bpmn-js-differ
runs in the browser, so the minor/major proposal and the text list (which must work without
script) would need a second diff on the server that could disagree with the picture. One diff on
the server feeds the markers, the list and the proposal. Layout (BPMNDiagram) is not compared:
moving a shape changes nothing a resident meets.

An element's "facets" are what a designer can change about it: its kind, name, lane, the process
or subprocess it sits in, each attribute, and the text of each part inside it (a condition, a
script, a timer, a form reference, instructions). Two versions of an element differ in the
facets that are not equal.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import engine

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
FLOW_NODES = frozenset({
    "startEvent", "endEvent", "userTask", "manualTask", "scriptTask", "task", "sendTask", "receiveTask",
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway",
    "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "callActivity", "subProcess",
    "serviceTask", "businessRuleTask", "transaction"})
# Elements a designer draws or names; anything else with an id (an event definition, a loop
# marker, a condition) is a part of the element around it, and its generated id is not compared.
WHOLE = FLOW_NODES | frozenset({
    "sequenceFlow", "lane", "process", "participant", "collaboration", "messageFlow", "message", "signal",
    "error", "escalation", "dataObject", "dataObjectReference", "dataStoreReference", "textAnnotation",
    "association", "group", "correlationProperty", "category"})
CONTAINERS = frozenset({"process", "subProcess", "transaction"})
# Children that only repeat what the sequence flows and lanes already say.
REDUNDANT = frozenset({"incoming", "outgoing", "flowNodeRef"})
KIND_PARTS = frozenset({
    "timerEventDefinition", "messageEventDefinition", "signalEventDefinition", "conditionalEventDefinition",
    "errorEventDefinition", "escalationEventDefinition", "terminateEventDefinition", "linkEventDefinition",
    "compensateEventDefinition", "cancelEventDefinition", "standardLoopCharacteristics",
    "multiInstanceLoopCharacteristics"})
TEXT_FACETS = frozenset({"name", "documentation", "extensionElements/instructionsForEndUser"})


@dataclass(frozen=True)
class Element:
    id: str
    kind: str  # the BPMN tag, e.g. userTask
    name: str
    facets: dict = field(compare=False)


@dataclass(frozen=True)
class FileDiff:
    """One BPMN file: the elements of each version by id and the ids added, removed, changed."""

    file: str
    old: dict  # id -> Element ({} when the file is new or unreadable)
    new: dict
    added: tuple = ()
    removed: tuple = ()
    changed: dict = field(default_factory=dict)  # id -> facet names that differ, sorted
    unreadable: str = ""  # the parser's reason when a version could not be read


def diff_file(file: str, old: bytes | None, new: bytes | None) -> FileDiff:
    """Compare two versions of one BPMN file (None: that version has no such file)."""
    old_elements, old_problem = elements_of(old)
    new_elements, new_problem = elements_of(new)
    added = tuple(sorted(set(new_elements) - set(old_elements)))
    removed = tuple(sorted(set(old_elements) - set(new_elements)))
    changed = {}
    for el_id in sorted(set(old_elements) & set(new_elements)):
        differing = facet_changes(old_elements[el_id].facets, new_elements[el_id].facets)
        if differing:
            changed[el_id] = differing
    return FileDiff(file, old_elements, new_elements, added, removed, changed, old_problem or new_problem)


def facet_changes(old: dict, new: dict) -> tuple:
    return tuple(sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key)))


def elements_of(data: bytes | None) -> tuple[dict, str]:
    """Id -> Element of a BPMN file; ({}, reason) when the hardened parser refuses it."""
    if data is None:
        return {}, ""
    try:
        root = engine.parse_xml(data).getroot()
    except engine.XmlRejected as error:
        return {}, error.reason
    lanes = _lanes(root)
    found = {}
    for el in root.iter():
        kind = _local(el)
        if kind in WHOLE and _namespace(el) == BPMN and el.get("id"):
            facets = _facets(el, kind)
            if kind in FLOW_NODES:
                facets["lane"] = lanes.get(el.get("id"), "")
                facets["placed in"] = _container(el)
            found[el.get("id")] = Element(el.get("id"), kind, _name(el), facets)
    return found, ""


def _facets(el, kind: str) -> dict:
    facets = {"kind": _kind(el, kind), "name": _name(el)}
    for attribute, value in el.attrib.items():
        if attribute not in ("id", "name"):
            facets["@" + _local_name(attribute)] = value
    for child in el:
        _collect(child, "", facets)
    return facets


def _collect(el, prefix: str, facets: dict) -> None:
    """Each part inside an element as 'path' -> text and attributes; nested whole elements and
    generated ids are left out."""
    kind = _local(el)
    if not kind or kind in REDUNDANT or (kind in WHOLE and _namespace(el) == BPMN and el.get("id")):
        return
    path = f"{prefix}{kind}"
    if kind == "property" and el.get("name"):
        path = f"{path}[{el.get('name')}]"
    attributes = sorted((_local_name(k), v) for k, v in el.attrib.items()
                        if k != "id" and not (kind == "property" and k == "name") and not _engine_default(k, v))
    text = (el.text or "").strip()
    if kind == "property":  # spiffworkflow:property name="..." value="...": the value is what counts
        text, attributes = (el.get("value") or text).strip(), []
    value = text if not attributes else f"{text} {attributes}".strip()
    if value:
        key = path
        while key in facets:  # two parts with the same path (two properties without names, say)
            key += "+"
        facets[key] = value
    for child in el:
        _collect(child, path + "/", facets)


def _engine_default(attribute: str, value: str) -> bool:
    """``scriptsOnInstances="true"`` is what the engine writes on a looped step with scripts when a
    version is stored (docs/ENGINE.md), and on a step without scripts it means nothing: so "true"
    and absent are the same program, and a draft made from a zip does not differ from the stored
    version by it. Only "false" is the designer's own choice."""
    return _local_name(attribute) == "scriptsOnInstances" and value == "true"


def _kind(el, kind: str) -> str:
    """The tag with its event definitions and loop marker: a timer event that becomes a message
    event, or a task that becomes multi-instance, is another kind of element."""
    parts = sorted(_local(child) + ("(sequential)" if child.get("isSequential") == "true" else "")
                   for child in el if _local(child) in KIND_PARTS)
    return " ".join([kind, *parts])


def _lanes(root) -> dict:
    """Flow node id -> the id of the innermost lane that lists it."""
    found = {}
    for lane in root.iter(f"{{{BPMN}}}lane"):
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            found[(ref.text or "").strip()] = lane.get("id")
    return found


def _container(el) -> str:
    parent = el.getparent()
    while parent is not None and _local(parent) not in CONTAINERS:
        parent = parent.getparent()
    return parent.get("id", "") if parent is not None else ""


def _name(el) -> str:
    return " ".join((el.get("name") or "").split())


def _local(el) -> str:
    return el.tag.split("}", 1)[-1] if isinstance(el.tag, str) else ""


def _namespace(el) -> str:
    return el.tag[1:].split("}", 1)[0] if isinstance(el.tag, str) and el.tag.startswith("{") else ""


def _local_name(attribute: str) -> str:
    return attribute.split("}", 1)[-1]
