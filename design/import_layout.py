"""A diagram for a BPMN file that has none: some tools export the model without its DI, and then
the modeler cannot show it at all, so neither could it show what the platform does not run.

The layout is plain on purpose: columns by the longest path from a start (a flow back to an earlier
element does not count), one band per lane, pools stacked, subprocesses drawn open around their own
layout, boundary events on their task's lower edge, data and notes in a row under their flow, and
lines with right angles. The designer tidies it in the modeler; the import report says it was made.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from design.import_cleanup import BPMN

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
GAP, PAD, HEADER, SLOT = 50, 30, 30, 120
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
GATEWAYS = {"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"}
CONTAINERS = {"subProcess", "transaction", "adHocSubProcess"}
ACTIVITIES = {"task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
              "businessRuleTask", "callActivity"} | CONTAINERS
ARTIFACTS = {"dataObjectReference": (36, 50), "dataStoreReference": (50, 50), "textAnnotation": (100, 30)}


@dataclass
class Block:
    """Shapes laid out relative to the block's top left corner: id -> (x, y, width, height)."""

    width: float = 0
    height: float = 0
    shapes: dict = field(default_factory=dict)
    lanes: list = field(default_factory=list)  # (lane id, y, height)


def lay_out(root) -> bool:
    """Add a diagram to a file that has none (or only empty ones); False when there is nothing to
    draw or the file has a diagram of its own."""
    diagrams = list(root.iter(f"{{{BPMNDI}}}BPMNDiagram"))
    if any(True for d in diagrams for _shape in d.iter(f"{{{BPMNDI}}}BPMNShape")):
        return False
    for empty in diagrams:  # a diagram without a single shape draws nothing: replaced
        empty.getparent().remove(empty)
    processes = {p.get("id"): p for p in root.iter(_q("process"))}
    collaboration = next(root.iter(_q("collaboration")), None)
    if collaboration is not None and collaboration.find(_q("participant")) is not None:
        shapes, plane_for = _pools(collaboration, processes), collaboration.get("id")
    elif processes:
        first = next((p for p in processes.values() if p.get("isExecutable") == "true"), next(iter(processes.values())))
        block = _container(first, with_lanes=True)
        shapes, plane_for = _placed(block, 150, 80), first.get("id")
    else:
        return False
    _write(root, plane_for, shapes)
    return bool(shapes)


def _pools(collaboration, processes) -> dict:
    shapes, top = {}, 80.0
    blocks = [(pool, _container(processes[pool.get("processRef")], with_lanes=True)
               if pool.get("processRef") in processes else Block(400, 100))
              for pool in collaboration.findall(_q("participant"))]
    width = max(block.width for _pool, block in blocks) + HEADER
    for pool, block in blocks:
        shapes[pool.get("id")] = (120, top, width, block.height)
        for lane_id, y, height in block.lanes:
            shapes[lane_id] = (120 + HEADER, top + y, width - HEADER, height)
        shapes.update(_placed(block, 120 + HEADER, top))
        top += block.height + GAP
    return shapes


def _container(container, with_lanes: bool = False) -> Block:
    """Lay out a process's or subprocess's own flow: columns by layer, a band per lane."""
    nodes = [el for el in container if _local(el) in EVENTS | GATEWAYS | ACTIVITIES and _local(el) != "boundaryEvent"]
    layer = _layers(container, [n.get("id") for n in nodes])
    inner = {n.get("id"): _container(n) for n in nodes if _local(n) in CONTAINERS}
    size = {n.get("id"): (max(inner[n.get("id")].width, 100), max(inner[n.get("id")].height, 80))
            if n.get("id") in inner else _size(n) for n in nodes}
    lanes = _lanes(container) if with_lanes else []
    band_of = {node: index for index, (_lane, members) in enumerate(lanes) for node in members}
    bands = len(lanes) + (1 if not lanes or any(n.get("id") not in band_of for n in nodes) else 0)
    columns = max(layer.values(), default=-1) + 1
    column_width = [max([size[n][0] for n in layer if layer[n] == c], default=100) for c in range(columns)]
    cells: dict[tuple[int, int], list[str]] = {}
    for node in (n.get("id") for n in nodes):
        cells.setdefault((band_of.get(node, len(lanes)), layer[node]), []).append(node)
    band_height = [max([sum(max(size[n][1], 80) + SLOT - 80 for n in cells.get((b, c), []))
                        for c in range(columns)] + [SLOT]) + PAD for b in range(bands)]
    block = Block(width=sum(column_width) + GAP * (columns + 1) + PAD)
    band_top = [sum(band_height[:b]) for b in range(bands)]
    for (band, column), members in cells.items():
        y = band_top[band] + PAD
        x_mid = PAD + GAP + sum(column_width[:column]) + GAP * column + column_width[column] / 2
        for node in members:
            width, height = size[node]
            block.shapes[node] = (x_mid - width / 2, y + (80 - min(height, 80)) / 2, width, height)
            for inner_id, (ix, iy, iw, ih) in inner.get(node, Block()).shapes.items():
                block.shapes[inner_id] = (x_mid - width / 2 + ix, y + iy, iw, ih)
            y += max(height, 80) + SLOT - 80
    block.height = sum(band_height)
    block.lanes = [(lane, band_top[b], band_height[b]) for b, (lane, _members) in enumerate(lanes)]
    _attach_boundary_events(container, block)
    _artifacts(container, block)
    return block


def _layers(container, nodes: list[str]) -> dict[str, int]:
    """The longest path from a start, in columns; a flow into a cycle is cut where it closes."""
    incoming = {n: set() for n in nodes}
    hosts = {b.get("id"): b.get("attachedToRef") for b in container if _local(b) == "boundaryEvent"}
    for flow in container.findall(_q("sequenceFlow")):
        source = hosts.get(flow.get("sourceRef"), flow.get("sourceRef"))
        if source in incoming and flow.get("targetRef") in incoming and source != flow.get("targetRef"):
            incoming[flow.get("targetRef")].add(source)
    layer, left = {}, list(nodes)
    while left:
        ready = [n for n in left if incoming[n] <= layer.keys()] or left[:1]  # a cycle: take the first
        for node in ready:
            layer[node] = max((layer[p] + 1 for p in incoming[node] if p in layer), default=0)
        left = [n for n in left if n not in layer]
    return layer


def _lanes(process) -> list[tuple[str, set[str]]]:
    """The innermost lanes, with the flow nodes each holds."""
    return [(lane.get("id"), {(ref.text or "").strip() for ref in lane.findall(_q("flowNodeRef"))})
            for lane in process.iter(_q("lane")) if lane.find(_q("childLaneSet")) is None]


def _attach_boundary_events(container, block: Block) -> None:
    count: dict[str, int] = {}
    for event in (el for el in container if _local(el) == "boundaryEvent"):
        host = block.shapes.get(event.get("attachedToRef"))
        if host is not None:
            n = count[event.get("attachedToRef")] = count.get(event.get("attachedToRef"), 0) + 1
            block.shapes[event.get("id")] = (host[0] + host[2] - 46 * n, host[1] + host[3] - 18, 36, 36)


def _artifacts(container, block: Block) -> None:
    x = PAD + GAP
    for el in (el for el in container if _local(el) in ARTIFACTS):
        width, height = ARTIFACTS[_local(el)]
        block.shapes[el.get("id")] = (x, block.height, width, height)
        x += width + GAP
    if x > PAD + GAP:
        block.height += 50 + PAD
        block.width = max(block.width, x)


def _placed(block: Block, left: float, top: float) -> dict:
    return {key: (x + left, y + top, w, h) for key, (x, y, w, h) in block.shapes.items()}


def _write(root, plane_for: str, shapes: dict) -> None:
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    taken = set(by_id)

    def new_id(wanted: str) -> str:  # the file's own ids stay unique
        unique, n = wanted, 1
        while unique in taken:
            unique, n = f"{wanted}_{n}", n + 1
        taken.add(unique)
        return unique

    diagram = etree.SubElement(root, f"{{{BPMNDI}}}BPMNDiagram", {"id": new_id("BPMNDiagram_imported")},
                               nsmap={"bpmndi": BPMNDI, "dc": DC, "di": DI})
    plane = etree.SubElement(diagram, f"{{{BPMNDI}}}BPMNPlane",
                             {"id": new_id("BPMNPlane_imported"), "bpmnElement": plane_for})
    for element_id, (x, y, width, height) in shapes.items():
        shape = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNShape",
                                 {"id": new_id(f"{element_id}_di"), "bpmnElement": element_id})
        kind = _local(by_id[element_id]) if element_id in by_id else ""
        if kind in {"participant", "lane"}:
            shape.set("isHorizontal", "true")
        elif kind in CONTAINERS:
            shape.set("isExpanded", "true")
        etree.SubElement(shape, f"{{{DC}}}Bounds", {k: f"{v:g}" for k, v in
                                                     zip(("x", "y", "width", "height"), (x, y, width, height))})
    for edge_id, points in _edges(root, shapes):
        edge = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNEdge", {"id": new_id(f"{edge_id}_di"), "bpmnElement": edge_id})
        for px, py in points:
            etree.SubElement(edge, f"{{{DI}}}waypoint", {"x": f"{px:g}", "y": f"{py:g}"})
    etree.indent(diagram, space="  ", level=1)
    diagram.tail = "\n"


def _edges(root, shapes: dict):
    for flow in root.iter(_q("sequenceFlow"), _q("messageFlow"), _q("association")):
        source, target = shapes.get(flow.get("sourceRef")), shapes.get(flow.get("targetRef"))
        if flow.get("id") and source and target:
            yield flow.get("id"), _route(source, target, _local(flow) == "sequenceFlow")
    for association in root.iter(_q("dataInputAssociation"), _q("dataOutputAssociation")):
        reads = _local(association) == "dataInputAssociation"  # data -> task; else task -> data
        owner = association.getparent().get("id")
        data = (association.findtext(_q("sourceRef" if reads else "targetRef")) or "").strip()
        if association.get("id") and owner in shapes and data in shapes:
            ends = (shapes[data], shapes[owner]) if reads else (shapes[owner], shapes[data])
            yield association.get("id"), _route(*ends, False)


def _route(source, target, right_angles: bool) -> list[tuple[float, float]]:
    (sx, sy, sw, sh), (tx, ty, tw, th) = source, target
    start, end = (sx + sw, sy + sh / 2), (tx, ty + th / 2)
    if not right_angles:
        return [(sx + sw / 2, sy + sh / 2), (tx + tw / 2, ty + th / 2)]
    if end[0] <= start[0]:  # back to an earlier column: under both
        bottom = max(sy + sh, ty + th) + 20
        return [(sx + sw / 2, sy + sh), (sx + sw / 2, bottom), (tx + tw / 2, bottom), (tx + tw / 2, ty + th)]
    if abs(start[1] - end[1]) < 1:
        return [start, end]
    middle = (start[0] + end[0]) / 2
    return [start, (middle, start[1]), (middle, end[1]), end]


def _size(el) -> tuple[float, float]:
    kind = _local(el)
    return (36, 36) if kind in EVENTS else (50, 50) if kind in GATEWAYS else (100, 80)


def _local(el) -> str:
    return el.tag.split("}", 1)[-1] if isinstance(el.tag, str) and el.tag.startswith(f"{{{BPMN}}}") else ""


def _q(kind: str) -> str:
    return f"{{{BPMN}}}{kind}"
