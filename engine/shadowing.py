"""Helper names used as data: allowed, but then the helper cannot be called.

Inside an instance a data name (a script's target, a form field, a message variable, a
multi-instance item) shadows the built-in helper of the same name, so ``score = q1 + q2`` and a
later ``score >= 10`` work. A call such as ``score('phq9')`` in the same program would then
fail at run time; this rule names the element that calls it when the package is checked.
"""
from __future__ import annotations

import ast

from engine import expressions
from engine.bpmn_xml import SPIFF, nearest_id, q
from engine.errors import Problem
from engine.sandbox_functions import is_helper_name

# Where a multi-instance activity names its item and collections: each becomes task data.
ITEM_TAGS = (q("inputDataItem"), q("outputDataItem"))
NAME_TAGS = (q("messageVariable", SPIFF), q("loopDataInputRef"), q("loopDataOutputRef"))


def check_calls_of_data(trees: dict, field_keys: frozenset[str] = frozenset()) -> list[Problem]:
    """A problem for each element whose expression calls a helper the package also uses as data."""
    data = _data_names(trees) | set(field_keys)
    problems = []
    for name, tree in trees.items():
        for el, called in _helper_calls(tree.getroot()):
            if called in data:
                problems.append(Problem(name, nearest_id(el), (
                    f"calls '{called}', but this program also uses '{called}' as data (a form field, "
                    "a script or a variable); the data hides the helper, so the call would fail: "
                    "give the data another name")))
    return problems


def _data_names(trees) -> set[str]:
    names = set()
    for tree in trees.values():
        root = tree.getroot()
        for el in root.iter(*expressions.SCRIPT_TAGS):
            names |= _script_targets(el.text or "")
        for el in root.iter(*NAME_TAGS):
            names.add((el.text or "").strip())
        for el in root.iter(*ITEM_TAGS):
            names.add(el.get("name") or el.get("id") or "")
    return {n for n in names if n}


def _script_targets(text: str) -> set[str]:
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()  # the script is reported by its own rule
    return {stmt.targets[0].id if isinstance(stmt, ast.Assign) else stmt.target.id
            for stmt in module.body
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name))
            or (isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name))}


def _helper_calls(root):
    for el in root.iter(*expressions.EXPRESSION_TAGS, *expressions.SCRIPT_TAGS):
        for called in sorted(_called_names(el.text or "")):
            if is_helper_name(called):
                yield el, called


def _called_names(text: str) -> set[str]:
    try:
        tree = ast.parse(text.strip())
    except (SyntaxError, ValueError):
        return set()
    return {node.func.id for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
