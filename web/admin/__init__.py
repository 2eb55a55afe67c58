"""Administrators' screens: organisations, units and role grants, the catalogue and activation
per unit, and statistics."""
from __future__ import annotations

from importlib import import_module

SCREENS = ("organisation", "catalogue", "statistics")


def blueprints() -> list:
    """This audience's blueprints (imported here, so create_app needs no list of its own)."""
    return [import_module(f"{__name__}.{name}").bp for name in SCREENS]

