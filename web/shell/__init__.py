"""The web shell every audience shares: sign-in and the session hook, languages, CSRF, the
header's navigation, error pages, security headers, health, the start page and view guards."""
from __future__ import annotations

from importlib import import_module

SCREENS = ("health", "home", "auth")


def blueprints() -> list:
    """This audience's blueprints (imported here, so create_app needs no list of its own)."""
    return [import_module(f"{__name__}.{name}").bp for name in SCREENS]

