"""Designers' screens (Designverktyget)."""
