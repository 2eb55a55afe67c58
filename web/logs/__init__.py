"""Log reviewers' screens: searching the PDL access log and following up samples of it."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("search",)
