"""Residents' screens: their programs and steps, open programs, messages, contact details and
their own log extract."""
from __future__ import annotations

from importlib import import_module

SCREENS = ("programs", "tasks", "messages", "contact", "open_programs", "blocks")


def blueprints() -> list:
    """This audience's blueprints (imported here, so create_app needs no list of its own)."""
    return [import_module(f"{__name__}.{name}").bp for name in SCREENS]

