"""Path coverage: which elements and sequence flows of a package an instance took, and which the
package has at all (the design tool's "Täckning", design/coverage.py).

An element is taken when the instance reached it: completed, current (ready, waiting, started),
failed there (incident), or cancelled once the element before it had finished (an activity a
boundary event interrupted; a join whose token arrived in the branch that came first). A sequence flow is taken when the task tree shows its target reached straight after its
source: SpiffWorkflow keeps no flow ids in its specs, so each reached task is paired with the
nearest ancestor that is a BPMN element (looking through nameless helpers such as boundary splits)
and the pair (source id, target id) is looked up among the package's sequence flows. Element ids
are unique in a program (engine/rules.py), so plain ids name them across files.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from SpiffWorkflow.util.task import TaskState

from engine import instances, spiff
from engine.bpmn_xml import BPMN, local
from engine.db import db
from engine.errors import NotFound
from engine.models import ProcessInstance
from engine.rules import FLOW_NODES
from engine.xmlsafe import XmlRejected, parse

_REACHED = TaskState.COMPLETED | TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR


@dataclass(frozen=True)
class Paths:
    """Element ids and sequence flow ids; ``names`` gives an element's or flow's name where it has one."""

    elements: frozenset = frozenset()
    flows: frozenset = frozenset()
    names: dict = field(default_factory=dict, compare=False)


def package_paths(files: dict) -> Paths:
    """Every flow node and sequence flow of the package's BPMN files (path -> bytes or text).
    A file the hardened parser refuses adds nothing: the package check reports it."""
    elements, flows, names = set(), set(), {}
    for path, data in sorted(files.items()):
        if not path.endswith(".bpmn"):
            continue
        for el in _bpmn_elements(data):
            kind, el_id = local(el), el.get("id")
            if kind in FLOW_NODES:
                elements.add(el_id)
            elif kind == "sequenceFlow":
                flows.add(el_id)
            else:
                continue
            if (el.get("name") or "").strip():
                names[el_id] = " ".join(el.get("name").split())
    return Paths(frozenset(elements), frozenset(flows), names)


def taken(instance_id: str) -> Paths:
    """The elements and sequence flows the instance (finished or not) has taken so far."""
    row = db.session.get(ProcessInstance, instance_id)
    if row is None:
        raise NotFound("no such instance")
    version = instances.version_info(row.version_hash)
    workflow = spiff.load_state(row.state, version.spec, version.subprocess_specs)
    flow_ids = _flows_by_ends(set(version.process_files.values()))  # a file may hold several processes
    elements, flows = set(), set()
    for flow in (workflow, *workflow.subprocesses.values()):
        for task in flow.tasks.values():
            element = _element_of(task)
            if element is None or not _reached(task):
                continue
            elements.add(element)
            source = _element_of(_nearest_element(task.parent))
            flows.update(flow_ids.get((source, element), ()))
    return Paths(frozenset(elements), frozenset(flows))


def _element_of(task) -> str | None:
    return getattr(task.task_spec, "bpmn_id", None) if task is not None else None


def _nearest_element(task):
    while task is not None and not _element_of(task):
        task = task.parent
    return task


def _reached(task) -> bool:
    if task.state & _REACHED:
        return not (task.state == TaskState.WAITING and _kind(task) == "BoundaryEvent")
    if task.state == TaskState.CANCELLED:
        # Cancelled after the element before it finished: an activity a boundary event
        # interrupted, or a join's token in a branch that arrived first. A boundary event that
        # never fired and the other side of an event gateway were only armed, never reached.
        before = _nearest_element(task.parent)
        return (before is not None and before.state == TaskState.COMPLETED
                and _kind(task) != "BoundaryEvent" and _kind(before) != "EventBasedGateway")
    return False


def _kind(task) -> str:
    return type(task.task_spec).__name__


def _flows_by_ends(texts) -> dict:
    """(source id, target id) -> the ids of the sequence flows between them."""
    found: dict = {}
    for text in texts:
        for el in _bpmn_elements(text):
            if local(el) == "sequenceFlow":
                found.setdefault((el.get("sourceRef"), el.get("targetRef")), set()).add(el.get("id"))
    return found


def _bpmn_elements(data):
    try:
        root = parse(data if isinstance(data, bytes) else data.encode("utf-8")).getroot()
    except XmlRejected:
        return []
    return [el for el in root.iter() if isinstance(el.tag, str) and el.tag.startswith("{" + BPMN + "}")
            and el.get("id")]
