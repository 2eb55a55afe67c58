"""The events behind one event-based gateway must differ by name. SpiffWorkflow 3.2.0 moves the
events into the gateway and, when one fires, takes the branch of the first event equal to it
(``list.index``), and two timers, messages or signals are equal when their names are. So with
two timers of one name the later timer's firing takes the earlier timer's branch; with two
catches of one message or signal the second branch can never be taken."""
from __future__ import annotations

from engine.bpmn_xml import local, q
from engine.errors import Problem
from engine.signal_rules import signal_names

KINDS = {"timerEventDefinition": "timer", "messageEventDefinition": "message",
         "signalEventDefinition": "signal"}


def check_event_gateways(trees: dict) -> list[Problem]:
    messages = {m.get("id"): (m.get("name") or "").strip()
                for tree in trees.values() for m in tree.getroot().iter(q("message"))}
    names = {"message": messages, "signal": signal_names(trees)}
    problems = []
    for file_name, tree in trees.items():
        for gateway in tree.getroot().iter(q("eventBasedGateway")):
            problems += _same_names(file_name, gateway, names)
    return problems


def _same_names(file_name, gateway, names):
    problems, first_with = [], {}
    for event in _targets(gateway):
        key = _event_key(event, names)
        if key is None:
            continue
        if key in first_with:
            kind, name = key
            problems.append(Problem(file_name, event.get("id"), (
                f"the event-based gateway '{gateway.get('id')}' also waits for {kind} '{name}' at "
                f"'{first_with[key]}'; the engine tells the gateway's events apart by name and may take "
                f"the wrong branch: give each {kind} a name of its own")))
        else:
            first_with[key] = event.get("id")
    return problems


def _targets(gateway):
    """The elements the gateway's outgoing sequence flows lead to, in document order."""
    container, gateway_id = gateway.getparent(), gateway.get("id")
    by_id = {el.get("id"): el for el in container}
    for flow in container.findall(q("sequenceFlow")):
        if flow.get("sourceRef") == gateway_id and flow.get("targetRef") in by_id:
            yield by_id[flow.get("targetRef")]


def _event_key(event, names):
    """(kind, name) as SpiffWorkflow compares the event: a timer by the event's name (or id)."""
    if local(event) == "receiveTask" and event.find(q("messageEventDefinition")) is None:
        return ("message", names["message"].get(event.get("messageRef")))
    for definition in event:
        kind = KINDS.get(local(definition))
        if kind == "timer":
            return (kind, event.get("name", event.get("id")))
        if kind == "message":
            return (kind, names[kind].get(definition.get("messageRef")) or event.get("name"))
        if kind == "signal":
            ref = definition.get("signalRef")
            return (kind, names[kind].get(ref) if ref else (event.get("name") or "").strip())
    return None
