"""The platform's own rules for a program package, beyond the BPMN XSD.

Each rule returns Problems naming the file, the element id and a plain reason. The rules exist
because SpiffWorkflow accepts things that hurt people later: a user task no role can see, a form
that does not exist, a loop that silently "completes" after ~500 trips, a timer that never stops.
"""
from __future__ import annotations

from engine.errors import Problem
from engine.roles import role_for_lane
from engine.bpmn_xml import BPMN, SPIFF, nearest_id, q
from engine import event_gateway_rules, expressions, flow_paths, meetings, message_rules, shadowing, signal_rules, timers_iso

FLOW_NODES = set(flow_paths.FLOW_NODES)
SUPPORTED = FLOW_NODES | {
    "definitions", "process", "collaboration", "participant", "messageFlow", "message", "signal",
    "error", "escalation", "correlationProperty", "correlationPropertyRetrievalExpression",
    "formalExpression", "messagePath", "correlationKey", "correlationPropertyRef",
    "laneSet", "lane", "childLaneSet", "flowNodeRef", "sequenceFlow", "conditionExpression",
    "script", "incoming", "outgoing", "documentation", "extensionElements", "textAnnotation",
    "text", "association", "group", "category", "categoryValue", "dataObject",
    "dataObjectReference", "dataInputAssociation", "dataOutputAssociation", "sourceRef",
    "targetRef", "ioSpecification", "dataInput", "dataOutput", "inputSet", "outputSet",
    "dataInputRefs", "dataOutputRefs", "timerEventDefinition", "timeDuration", "timeDate",
    "timeCycle", "messageEventDefinition", "signalEventDefinition", "terminateEventDefinition",
    "errorEventDefinition", "escalationEventDefinition", "conditionalEventDefinition",
    "condition", "standardLoopCharacteristics", "loopCondition",
    "multiInstanceLoopCharacteristics", "loopCardinality", "completionCondition",
    "loopDataInputRef", "loopDataOutputRef", "inputDataItem", "outputDataItem", "itemDefinition",
}
SPIFF_SUPPORTED = {
    "properties", "property", "instructionsForEndUser", "preScript", "postScript",
    "messagePayload", "messageVariable",
}
DIAGRAM_NAMESPACES = {
    "http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC",
    "http://www.omg.org/spec/DD/20100524/DI",
}
HUMAN_TASKS = {"userTask", "manualTask"}
MAX_LOOP_MAXIMUM = 1000
MAX_CARDINALITY = 500


def check_package(trees: dict, forms: set[str], field_keys: frozenset[str] = frozenset()) -> list[Problem]:
    """Every rule's problems; ``field_keys`` are the package's form fields (the engine reads no forms)."""
    problems: list[Problem] = []
    process_ids = {p.get("id") for t in trees.values() for p in t.getroot().iter(q("process"))}
    seen_ids: dict[str, str] = {}
    thrown = message_rules.thrown_messages(trees)
    signals = signal_rules.signal_names(trees)
    thrown_signals = signal_rules.thrown_signals(trees, signals)
    for name, tree in trees.items():
        root = tree.getroot()
        problems += _unique_ids(name, root, seen_ids)
        problems += _supported_elements(name, root)
        problems += _lanes(name, root)
        problems += _forms(name, root, forms)
        problems += _call_activities(name, root, process_ids)
        problems += _loops(name, root)
        problems += _cycles(name, root)
        problems += flow_paths.check_paths(name, root)
        problems += timers_iso.check_timers(name, root)
        problems += message_rules.check_message_sources(name, root, thrown)
        problems += signal_rules.check_signal_sources(name, root, signals, thrown_signals)
        problems += expressions.check_all(name, root)
        problems += meetings.check_meetings(name, root, lane_roles(root))
    problems += event_gateway_rules.check_event_gateways(trees)
    problems += shadowing.check_calls_of_data(trees, field_keys)
    return problems


def _unique_ids(name, root, seen):
    problems = []
    for el in root.iter():
        el_id = el.get("id") if isinstance(el.tag, str) and el.tag.startswith("{" + BPMN) else None
        if not el_id:
            continue
        if el_id in seen and seen[el_id] != name:
            problems.append(Problem(name, el_id, f"the id is also used in {seen[el_id]}; ids must be unique in a program"))
        seen.setdefault(el_id, name)
    return problems


def _supported_elements(name, root):
    problems = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        ns, tag = el.tag[1:].split("}", 1) if el.tag.startswith("{") else ("", el.tag)
        if ns == BPMN and tag not in SUPPORTED:
            problems.append(Problem(name, nearest_id(el), f"the element '{tag}' is not supported by Vårdflöde"))
        elif ns == SPIFF and tag not in SPIFF_SUPPORTED:
            problems.append(Problem(name, nearest_id(el), f"the extension 'spiffworkflow:{tag}' is not supported"))
        elif ns not in (BPMN, SPIFF) and ns not in DIAGRAM_NAMESPACES:
            problems.append(Problem(name, nearest_id(el), f"elements from the namespace '{ns}' are not supported"))
    return problems


def lane_roles(root) -> dict[str, str | None]:
    """Human-task element id -> role id, from the lane that holds it (or its enclosing subprocess)."""
    result = {}
    for process in root.iter(q("process")):
        lane_of = {}
        for lane in process.iter(q("lane")):
            for ref in lane.findall(q("flowNodeRef")):
                lane_of[(ref.text or "").strip()] = lane.get("name")
        for task in process.iter(*(q(t) for t in HUMAN_TASKS)):
            holder = task
            while holder.get("id") not in lane_of and holder.getparent() is not process:
                holder = holder.getparent()
            lane = lane_of.get(holder.get("id"))
            result[task.get("id")] = (lane, role_for_lane(lane))
    return result


def _lanes(name, root):
    problems = []
    for task_id, (lane, role) in lane_roles(root).items():
        if lane is None:
            problems.append(Problem(name, task_id, "the task is in no lane; put it in a lane named after a role (e.g. Behandlare or Invånare)"))
        elif role is None:
            problems.append(Problem(name, task_id, f"the lane '{lane}' does not name a known role"))
    return problems


def form_of(task) -> str | None:
    for prop in task.iter(q("property", SPIFF)):
        if prop.get("name") == "formJsonSchemaFilename":
            return (prop.get("value") or "").strip()
    return None


def _forms(name, root, forms):
    problems = []
    for task in root.iter(q("userTask")):
        form = form_of(task)
        if form is not None and form not in forms:
            problems.append(Problem(name, task.get("id"), f"the form '{form}' does not exist in the program or the instrument library"))
    return problems


def _call_activities(name, root, process_ids):
    problems = []
    for call in root.iter(q("callActivity")):
        target = call.get("calledElement")
        if not target or target not in process_ids:
            problems.append(Problem(name, call.get("id"), f"calls '{target}', which is not a process in this program"))
    return problems


def _loops(name, root):
    problems = []
    for loop in root.iter(q("standardLoopCharacteristics")):
        maximum = loop.get("loopMaximum")
        if not (maximum or "").isdigit() or not 1 <= int(maximum) <= MAX_LOOP_MAXIMUM:
            problems.append(Problem(name, nearest_id(loop), f"a loop needs a loop maximum between 1 and {MAX_LOOP_MAXIMUM}"))
    for mi in root.iter(q("multiInstanceLoopCharacteristics")):
        card = mi.find(q("loopCardinality"))
        if card is not None:
            text = (card.text or "").strip()
            if not text.isdigit() or not 1 <= int(text) <= MAX_CARDINALITY:
                problems.append(Problem(name, nearest_id(mi), f"the number of instances must be a whole number between 1 and {MAX_CARDINALITY}"))
        elif mi.find(q("loopDataInputRef")) is None:
            problems.append(Problem(name, nearest_id(mi), "a multi-instance activity needs a cardinality or an input collection"))
        problems += _without_output(name, mi)
    return problems


def _without_output(name, mi):
    """Each item's answers need a named place to go, so the designer names the output collection.
    Sequential: SpiffWorkflow 3.2.0 merges a finished item's whole data, its input item included,
    back into the activity, and then refuses to create the next item ("input item … already
    exists"). Parallel: each finished item's data merges over the last, so all but one item's
    answers are lost."""
    kind = "sequential" if mi.get("isSequential") == "true" else "parallel"
    if mi.find(q("inputDataItem" if kind == "sequential" else "loopDataInputRef")) is None:
        return []
    if mi.find(q("loopDataOutputRef")) is not None and mi.find(q("outputDataItem")) is not None:
        return []
    return [Problem(name, nearest_id(mi), f"a {kind} multi-instance activity with an input collection "
                    "needs an output collection and an output item, where each item's answer is kept")]


def _cycles(name, root):
    """Sequence-flow cycles: SpiffWorkflow stops seeing tasks after ~500 trips round a loop."""
    problems = []
    for container in list(root.iter(q("process"))) + list(root.iter(q("subProcess"))):
        edges: dict[str, list[tuple[str, str]]] = {}
        for flow in container.findall(q("sequenceFlow")):
            edges.setdefault(flow.get("sourceRef"), []).append((flow.get("targetRef"), flow.get("id")))
        for boundary in container.findall(q("boundaryEvent")):
            edges.setdefault(boundary.get("attachedToRef"), []).append((boundary.get("id"), boundary.get("id")))
        for flow_id in _back_edges(edges):
            problems.append(Problem(name, flow_id, "this sequence flow closes a loop; repeat with a loop marker (with a maximum) or a multi-instance activity instead"))
    return problems


def _back_edges(edges):
    state: dict[str, int] = {}
    found = []
    for start in list(edges):
        if state.get(start):
            continue
        stack = [(start, iter(edges.get(start, ())))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            for target, flow_id in children:
                if state.get(target) == 1:
                    found.append(flow_id)
                elif not state.get(target):
                    state[target] = 1
                    stack.append((target, iter(edges.get(target, ()))))
                    break
            else:
                state[node] = 2
                stack.pop()
    return found

