"""The one check of a program package held in memory (name -> bytes): BPMN rules (engine) plus
form rules (forms). `vardflode validate` and `load` (cli/packages.py) and the modeler's live
validation (web/design/modeler.py) share it, so a designer reads the reasons validate gives.
In design/ rather than cli/ because only the command line may import the command line."""
from __future__ import annotations

from pathlib import PurePosixPath

import designer_functions
import engine
import forms


def problems_of(files: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """All problems of a package held in memory, as (file, element id, reason) with names inside
    the package; an empty list when it validates."""
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
            form = forms.load_form(raw, PurePosixPath(name).name)
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
