"""Designers' screens (Designverktyget)."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("screens", "programs", "modeler", "properties", "form_editor", "text_editor", "coverage",
           "scenario_edit", "test_runs", "review", "publishing", "imports", "help")
