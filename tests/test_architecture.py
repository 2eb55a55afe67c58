"""The dependency direction that holds the design together (DESIGN.md): only engine/ imports
SpiffWorkflow; engine/ imports no Flask request globals, web, tasks or forms; forms/ imports only
marshmallow, markupsafe and the standard library; nothing runs designer text with eval/exec."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imports_of(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.module


def top(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("package", ["web", "tasks", "forms"])
def test_only_engine_imports_spiffworkflow(package):
    offenders = [str(p.relative_to(ROOT)) for p, m in imports_of(package) if top(m) == "SpiffWorkflow"]
    assert offenders == []


def test_engine_imports_no_flask_web_tasks_or_forms():
    forbidden = {"flask", "web", "tasks", "forms", "dramatiq", "werkzeug"}
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p, m in imports_of("engine") if top(m) in forbidden]
    assert offenders == []


def test_forms_stay_plain():
    allowed = {"marshmallow", "markupsafe", "forms", "__future__"} | set(sys.stdlib_module_names)
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p, m in imports_of("forms") if top(m) not in allowed]
    assert offenders == []


def test_tasks_do_not_import_web_except_the_worker_entry_point():
    offenders = [str(p.relative_to(ROOT)) for p, m in imports_of("tasks")
                 if top(m) == "web" and p.name != "worker.py"]
    assert offenders == []


@pytest.mark.parametrize("package", ["engine", "web", "tasks", "forms"])
def test_no_eval_or_exec_calls(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"eval", "exec", "compile"}:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


@pytest.mark.parametrize("package", ["care", "access"])
def test_domain_packages_import_no_flask_or_web(package):
    forbidden = {"flask", "flask_babel", "flask_wtf", "werkzeug", "web"}
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p, m in imports_of(package) if top(m) in forbidden]
    assert offenders == []


def test_care_reads_the_engine_through_its_facade():
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p, m in imports_of("care")
                 if top(m) == "engine" and m not in ("engine", "engine.db")]
    assert offenders == []
