"""A signal wait must have a thrower in the same package. Nothing on the platform sends a signal
from outside a program (engine.send_signal has no caller), so a catch event whose signal nothing
in the package throws waits forever, with no task for anyone, and validate would have said OK."""
from __future__ import annotations

from engine.bpmn_xml import local, nearest_id, q
from engine.errors import Problem

CATCHING = {"startEvent", "intermediateCatchEvent", "boundaryEvent"}
THROWING = {"intermediateThrowEvent", "endEvent"}


def signal_names(trees: dict) -> dict[str, str]:
    """Signal id -> name over the whole package: SpiffWorkflow resolves a signalRef package-wide."""
    return {s.get("id"): (s.get("name") or "").strip()
            for tree in trees.values() for s in tree.getroot().iter(q("signal"))}


def thrown_signals(trees: dict, names: dict[str, str]) -> set[str]:
    """The signal names some throw or end event of the package throws."""
    return {name for tree in trees.values() for owner, name in signal_uses(tree.getroot(), names)
            if local(owner) in THROWING and name}


def check_signal_sources(file_name: str, root, names: dict[str, str], thrown: set[str]) -> list[Problem]:
    problems = []
    for owner, name in signal_uses(root, names):
        if local(owner) not in CATCHING:
            continue
        if not name:
            problems.append(Problem(file_name, nearest_id(owner), "the signal event names no signal"))
        elif name not in thrown:
            problems.append(Problem(file_name, nearest_id(owner), (
                f"nothing in the program throws signal '{name}', and the platform sends no signals: "
                "throw it with a signal throw or end event, or wait for a message instead")))
    return problems


def signal_uses(root, names: dict[str, str]):
    """(owning event, signal name or None) per signal definition, named as SpiffWorkflow names
    it: the referenced signal's name, or the event's own name when there is no signalRef."""
    for definition in root.iter(q("signalEventDefinition")):
        owner = definition.getparent()
        ref = definition.get("signalRef")
        yield owner, names.get(ref) if ref else (owner.get("name") or "").strip()
