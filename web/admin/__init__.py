"""Administrators' screens: organisations, units and role grants, the catalogue and activation
per unit, and statistics."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("organisation", "catalogue", "catalogue_history", "statistics")
