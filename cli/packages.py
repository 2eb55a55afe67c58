"""Reading program packages from disk for the commands: BPMN rules (engine) plus form rules (forms)."""
from __future__ import annotations

from pathlib import Path

import engine
import forms
from design.package_check import problems_of  # noqa: F401 - bench_validate calls it here too

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / "workflows"


def problems_in(path: Path) -> list[tuple[str, str, str]]:
    """All problems of a package folder or a BPMN file, with paths a person can open."""
    try:
        files = engine.read_paths([path])
    except FileNotFoundError:
        return [(str(path), "(file)", "no such file or folder")]
    base = path if path.is_dir() else path.parent
    return [(file if file.startswith("(") else str(base / file), element, reason)
            for file, element, reason in problems_of(files)]


def load(path: Path) -> engine.CheckedPackage:
    """A checked package, or ValidationFailed listing every problem (forms included)."""
    problems = problems_in(path)
    if problems:
        raise engine.ValidationFailed([engine.Problem(f, e, r) for f, e, r in problems])
    return engine.check_package(engine.read_paths([path]), builtin_forms=forms.builtin_form_names())


def shipped_packages() -> list[Path]:
    """Every package folder under workflows/ (a folder with a program.json)."""
    return sorted(p.parent for p in WORKFLOWS.rglob("program.json"))
