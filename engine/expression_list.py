"""Every piece of designer logic in a package, listed by element, for the publisher's review.

The places are the ones the validator checks (``expressions.EXPRESSION_TAGS`` and ``SCRIPT_TAGS``,
the timers of ``timers_iso``, a multi-instance cardinality), so the review lists exactly what the
engine evaluates. Each entry also names the data it reads, parsed with ``ast`` and never run, so
the review can tell when a removed form field is still read somewhere.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from engine import expressions, timers_iso
from engine.bpmn_xml import local, nearest_id, q
from engine.xmlsafe import XmlRejected, parse

_TIMER_TAGS = tuple(q(tag) for tag in timers_iso.TIMER_TAGS)
_OTHER_TAGS = (q("loopCardinality"),)


@dataclass(frozen=True)
class Expression:
    """One expression or script: where it is, its text and the data names it reads."""

    file: str
    element_id: str
    element_name: str
    place: str  # the tag it is written in: conditionExpression, script, postScript, timeDuration, ...
    text: str
    reads: frozenset = frozenset()


def package_expressions(files: dict) -> list[Expression]:
    """Every expression and script of the package's BPMN files, in file and document order.
    A file the hardened parser refuses adds nothing (the package check reports it)."""
    found = []
    for path, data in sorted(files.items()):
        if not path.endswith(".bpmn"):
            continue
        try:
            root = parse(data).getroot()
        except XmlRejected:
            continue
        ids = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
        tags = (*expressions.EXPRESSION_TAGS, *expressions.SCRIPT_TAGS, *_TIMER_TAGS, *_OTHER_TAGS)
        for el in root.iter(*tags):
            text = (el.text or "").strip()
            if not text:
                continue
            owner = nearest_id(el)
            name = " ".join((ids[owner].get("name") or "").split()) if owner in ids else ""
            found.append(Expression(path, owner, name, local(el), text, _reads(el, text)))
    return found


def _reads(el, text: str) -> frozenset:
    if el.tag in _TIMER_TAGS and timers_iso.literal_value(text) is not None:
        return frozenset()  # a plain ISO value such as P7D reads nothing
    return frozenset(names_read(text))


def names_read(text: str) -> set[str]:
    """The data names an expression or a script reads (a name a script sets before it reads it
    is its own; a called helper is not data). Text that does not parse reads nothing."""
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    read, assigned = set(), set()
    for statement in module.body:
        read |= _loads(statement) - assigned
        assigned |= {node.id for node in ast.walk(statement)
                     if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    return read


def _loads(tree) -> set[str]:
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    targets = [part.target for part in ast.walk(tree) if isinstance(part, ast.comprehension)]
    local_names = {node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name)}
    return {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and id(node) not in called
            and node.id not in local_names}
