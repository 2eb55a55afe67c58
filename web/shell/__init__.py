"""The web shell every audience shares: sign-in and the session hook, languages, CSRF, the
header's navigation, error pages, security headers, health, the start page and view guards."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("health", "home", "auth", "enrolment")
