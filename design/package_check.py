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


def load_files(files: dict[str, bytes]) -> engine.CheckedPackage:
    """``load`` for a package held in memory; the problems name files inside the package."""
    problems = problems_of(files)
    if problems:
        raise engine.ValidationFailed([engine.Problem(f, e, r) for f, e, r in problems])
    return engine.check_package(files, builtin_forms=forms.builtin_form_names())
