"""A message wait must have a sender: the platform (engine/reserved_messages.py) or a throw
somewhere in the same package. Otherwise the program would wait forever at that element, with
no task for anyone, and validate would have said OK."""
from __future__ import annotations

from engine.bpmn_xml import local, nearest_id, q
from engine.errors import Problem
from engine.reserved_messages import ACTION_PREFIX, RESIDENT_MESSAGE, is_platform_message

CATCHING = {"startEvent", "intermediateCatchEvent", "boundaryEvent", "receiveTask"}
THROWING = {"intermediateThrowEvent", "endEvent", "sendTask"}
PLATFORM_PREFIX = "vardflode."


def thrown_messages(trees: dict) -> set[str]:
    """The message names some element of the package throws (an event or a send task)."""
    return {name for tree in trees.values() for owner, name in _message_uses(tree.getroot())
            if local(owner) in THROWING and name}


def check_message_sources(file_name: str, root, thrown: set[str]) -> list[Problem]:
    problems = []
    for owner, name in _message_uses(root):
        if local(owner) not in CATCHING:
            continue
        element = nearest_id(owner)
        if not name:
            problems.append(Problem(file_name, element, "the message event names no message"))
        elif name.startswith(PLATFORM_PREFIX) and not is_platform_message(name):
            problems.append(Problem(file_name, element, (
                f"the platform sends no message '{name}': it sends '{RESIDENT_MESSAGE}' and "
                f"'{ACTION_PREFIX}<name>' (lower-case letters, digits and _)")))
        elif not is_platform_message(name) and name not in thrown:
            problems.append(Problem(file_name, element, (
                f"nothing on the platform can send message '{name}': throw it in the program, or "
                f"wait for '{RESIDENT_MESSAGE}' or a clinician's action '{ACTION_PREFIX}<name>'")))
    return problems


def _message_uses(root):
    """(owning element, message name or None) for each message reference in one BPMN file."""
    names = {m.get("id"): (m.get("name") or "").strip() for m in root.iter(q("message"))}
    for definition in root.iter(q("messageEventDefinition")):
        yield definition.getparent(), names.get(definition.get("messageRef"))
    for task in root.iter(q("receiveTask"), q("sendTask")):
        if task.get("messageRef") is not None and task.find(q("messageEventDefinition")) is None:
            yield task, names.get(task.get("messageRef"))
