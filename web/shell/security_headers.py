"""Security headers on every response (SECURITY.md §5, ASVS V14.4 and V8.2.1).

The CSP allows scripts and styles from our own origin only: no 'unsafe-inline', no 'unsafe-eval',
so templates carry no inline scripts, ``style`` attributes or ``on*`` handlers.
"""
from __future__ import annotations

from flask import request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"


def install(app) -> None:
    """Add the headers to every response of ``app``."""
    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("ENV_NAME") == "production":
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        # Resident data must never be stored by a browser or proxy. Deciding per view could be
        # forgotten, so everything but a static file actually served is no-store, whatever a view set.
        if not _is_static_file(response):
            response.headers["Cache-Control"] = "no-store"
        return response


def _is_static_file(response) -> bool:
    endpoint = request.endpoint or ""
    return (endpoint == "static" or endpoint.endswith(".static")) and response.status_code < 400
