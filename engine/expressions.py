"""Finds every place SpiffWorkflow would evaluate designer text (SECURITY.md §1.2) and checks it
with the restricted evaluator. Timers are checked in ``timers_iso``; service tasks and DMN are
refused as unsupported elements, so they never reach this point.
"""
from __future__ import annotations

from engine import sandbox
from engine.bpmn_xml import SPIFF, nearest_id, q
from engine.errors import Problem

MAX_TEXT_CHARS = 20_000

EXPRESSION_TAGS = (
    q("conditionExpression"), q("loopCondition"), q("completionCondition"), q("condition"),
    q("messagePath"), q("formalExpression"), q("messagePayload", SPIFF),
)
SCRIPT_TAGS = (q("script"), q("preScript", SPIFF), q("postScript", SPIFF))
NAME_TAGS = (q("messageVariable", SPIFF),)


def check_all(name: str, root) -> list[Problem]:
    problems = []
    for el in root.iter(*EXPRESSION_TAGS):
        problems += _report(name, el, sandbox.check_expression((el.text or "").strip()), "expression")
    for el in root.iter(*SCRIPT_TAGS):
        problems += _report(name, el, sandbox.check_script(el.text or ""), "script")
    for el in root.iter(*NAME_TAGS):
        text = (el.text or "").strip()
        if not text.isidentifier() or text.startswith("_"):
            problems.append(Problem(name, nearest_id(el), f"'{text}' is not a valid variable name"))
    for el in root.iter(q("instructionsForEndUser", SPIFF), q("documentation")):
        if len(el.text or "") > MAX_TEXT_CHARS:
            problems.append(Problem(name, nearest_id(el), f"the text is longer than {MAX_TEXT_CHARS} characters"))
    return problems


def _report(name, el, reasons, kind):
    return [Problem(name, nearest_id(el), f"{kind}: {reason}") for reason in reasons]
