"""Reading program packages from disk for the commands: BPMN rules (engine) plus form rules (forms)."""
from __future__ import annotations

from pathlib import Path

import designer_functions
import engine
import forms

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


def problems_of(files: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """All problems of a package held in memory (name -> bytes), with names inside the package:
    the one check validate, load and the design tool's live validation share."""
    designer_functions.install()  # commands check without an app; expressions may call score()
    found = list(_form_problems(files))
    try:
        engine.check_package(files, builtin_forms=forms.builtin_form_names())
    except engine.ValidationFailed as err:
        found += [(problem.file, problem.element_id, problem.reason) for problem in err.problems]
    return found


def _form_problems(files):
    for name, raw in files.items():
        if not name.endswith(".form"):
            continue
        try:
            form = forms.load_form(raw, Path(name).name)
        except forms.FormError as err:
            for component, reason in err.problems:
                yield name, component or "(form)", reason
            continue
        yield from _fields_named_like_helpers(name, form)


def _fields_named_like_helpers(name, form):
    """A form's answers become task data, which the engine refuses under a helper's name
    (engine.check_task_data): without this the step would only fail when someone sends it."""
    for field in form.fields:
        if engine.is_reserved_name(field.key):
            yield name, field.id, (f"the field key '{field.key}' is the name of a built-in helper "
                                   "that expressions call; give the field another key")


def load(path: Path) -> engine.CheckedPackage:
    """A checked package, or ValidationFailed listing every problem (forms included)."""
    problems = problems_in(path)
    if problems:
        raise engine.ValidationFailed([engine.Problem(f, e, r) for f, e, r in problems])
    return engine.check_package(engine.read_paths([path]), builtin_forms=forms.builtin_form_names())


def load_files(files: dict[str, bytes]) -> engine.CheckedPackage:
    """``load`` for a package held in memory; the problems name files inside the package."""
    problems = problems_of(files)
    if problems:
        raise engine.ValidationFailed([engine.Problem(f, e, r) for f, e, r in problems])
    return engine.check_package(files, builtin_forms=forms.builtin_form_names())


def shipped_packages() -> list[Path]:
    """Every package folder under workflows/ (a folder with a program.json)."""
    return sorted(p.parent for p in WORKFLOWS.rglob("program.json"))
