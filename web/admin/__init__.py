"""Administrators' screens: organisations, units and role grants, the catalogue and activation
per unit, moving a unit's running programs to a new version, and statistics."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("organisation", "catalogue", "catalogue_history", "moves", "statistics", "purging")
