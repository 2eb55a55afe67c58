"""Incident screens (avvikelser, R57–R62, R84): the report form behind the shell's link, the
reporter's own cases and the printable report to Läkemedelsverket, and national management's cases."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("reporting", "handling")
