"""Whether a package held in memory (name -> bytes) may run: BPMN rules (engine) plus form rules
(forms). The one check ``vardflode validate``, ``simulate`` and the design tool's scenario runs share."""
from __future__ import annotations

from pathlib import Path

import designer_functions
import engine
import forms


def problems_of(files: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """All problems of a package held in memory (name -> bytes), with names inside the package:
    the one check validate, load and the design tool's live validation share."""
    designer_functions.install()  # commands check without an app; expressions may call score()
    found = list(_form_problems(files))
    try:
        engine.check_package(files, builtin_forms=forms.builtin_form_names(), field_keys=_field_keys(files))
    except engine.ValidationFailed as err:
        found += [(problem.file, problem.element_id, problem.reason) for problem in err.problems]
    return found


def _form_problems(files):
    for name, raw in files.items():
        if not name.endswith(".form"):
            continue
        try:
            forms.load_form(raw, Path(name).name)
        except forms.FormError as err:
            for component, reason in err.problems:
                yield name, component or "(form)", reason


def _field_keys(files) -> frozenset[str]:
    """The keys of the package's form fields: its answers become task data, which may shadow a
    helper the BPMN calls (the engine reads no forms, so it is told)."""
    keys = set()
    for name, raw in files.items():
        if name.endswith(".form"):
            try:
                keys |= {field.key for field in forms.load_form(raw, Path(name).name).fields}
            except forms.FormError:
                continue  # reported by _form_problems
    return frozenset(keys)


def load_files(files: dict[str, bytes]) -> engine.CheckedPackage:
    """``load`` for a package held in memory; the problems name files inside the package."""
    problems = problems_of(files)
    if problems:
        raise engine.ValidationFailed([engine.Problem(f, e, r) for f, e, r in problems])
    return engine.check_package(files, builtin_forms=forms.builtin_form_names(), field_keys=_field_keys(files))
