"""Administrators' screens: organisations, units and role grants, the catalogue and activation
per unit, and statistics."""
