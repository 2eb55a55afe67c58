"""Residents' screens: their programs and steps, open programs, messages, contact details and
their own log extract."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("programs", "tasks", "messages", "contact", "open_programs", "blocks")
