"""Video meetings on the web (docs/VIDEO.md): joining a meeting, for the resident and the
clinician, in the window around its start, and the vendor's signed status callbacks."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("meetings",)
