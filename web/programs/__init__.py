"""What clinicians and residents both see of a program: module texts and pictures, and the task
page a step is done on. The answers read back from forms are care.program_view's."""
from __future__ import annotations

from importlib import import_module

SCREENS = ("media",)


def blueprints() -> list:
    """This audience's blueprints (imported here, so create_app needs no list of its own)."""
    return [import_module(f"{__name__}.{name}").bp for name in SCREENS]

