"""Paths through a diagram: every flow node is reached, and every path ends at an end event.

SpiffWorkflow parses a step that no sequence flow reaches and simply never runs it, and a step
with no outgoing flow ends its token without a word (BPMN's implicit end). Both are usually a
flow the designer forgot to draw, found otherwise only when a resident never gets the step.
"""
from __future__ import annotations

from engine.bpmn_xml import local, q
from engine.errors import Problem

# Flow nodes the rules look at (the unsupported ones are refused by their own rule).
FLOW_NODES = (
    "startEvent", "endEvent", "userTask", "manualTask", "scriptTask", "task", "sendTask",
    "receiveTask", "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
    "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "callActivity", "subProcess",
)


def check_paths(name: str, root) -> list[Problem]:
    """'nothing leads here' and 'nothing leads on from here', per process and subprocess."""
    problems = []
    for container in list(root.iter(q("process"))) + list(root.iter(q("subProcess"))):
        nodes = [el for el in container if local(el) in FLOW_NODES and el.get("id")]
        flows = _flows(container)
        reached = _reached([el.get("id") for el in nodes if _enters_without_flow(el)],
                           flows, _boundaries(nodes))
        for el in nodes:
            if el.get("id") not in reached:
                problems.append(Problem(name, el.get("id"),
                                        "nothing leads here; draw a sequence flow to it or remove it"))
            elif not flows.get(el.get("id")) and _needs_way_on(el):
                problems.append(Problem(name, el.get("id"), "nothing leads on from here; draw a sequence "
                                        "flow to the next step or to an end event"))
    return problems


def _flows(container) -> dict[str, list[str]]:
    flows: dict[str, list[str]] = {}
    for flow in container.findall(q("sequenceFlow")):
        flows.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    return flows


def _boundaries(nodes) -> dict[str, list[str]]:
    """Activity id -> its boundary events: a boundary event is reached when its activity is."""
    attached: dict[str, list[str]] = {}
    for el in nodes:
        if local(el) == "boundaryEvent":
            attached.setdefault(el.get("attachedToRef"), []).append(el.get("id"))
    return attached


def _enters_without_flow(el) -> bool:
    """Start events, event subprocesses and compensation handlers start without an incoming flow."""
    kind = local(el)
    return (kind == "startEvent" or (kind == "subProcess" and el.get("triggeredByEvent") == "true")
            or el.get("isForCompensation") == "true")


def _reached(entries, flows, boundaries) -> set[str]:
    reached, todo = set(entries), list(entries)
    while todo:
        node = todo.pop()
        for target in flows.get(node, []) + boundaries.get(node, []):
            if target not in reached:
                reached.add(target)
                todo.append(target)
    return reached


def _needs_way_on(el) -> bool:
    """An end event ends a path on purpose; an event subprocess and a compensation handler have
    no outgoing flow by definition."""
    if local(el) == "startEvent":
        return True
    return local(el) != "endEvent" and not _enters_without_flow(el)
