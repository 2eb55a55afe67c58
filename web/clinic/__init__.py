"""Clinicians' screens: residents, the task list and task pages, starting a program, one program
of one resident with its actions and score graphs, and messages with a resident."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("residents", "tasks", "start_program", "messages", "program_actions", "emergency", "journal")
