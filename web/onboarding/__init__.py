"""Onboarding screens: the connection forms (R36), the applicant's completion and national
management's review (docs/ONBOARDING.md)."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("screens", "agreement")
