"""What clinicians and residents both see of a program: module texts and pictures, and the task
page a step is done on. The answers read back from forms are care.program_view's."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("media",)
