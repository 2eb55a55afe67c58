"""Clinicians' screens: residents, the task list and task pages, starting a program, one program
of one resident with its actions and score graphs, and messages with a resident."""
from __future__ import annotations

from importlib import import_module

SCREENS = ("residents", "tasks", "start_program", "messages", "program_actions", "emergency")


def blueprints() -> list:
    """This audience's blueprints (imported here, so create_app needs no list of its own)."""
    return [import_module(f"{__name__}.{name}").bp for name in SCREENS]

