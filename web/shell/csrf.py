"""CSRF protection for every state-changing request (POST, PUT, PATCH, DELETE).

Forms carry ``<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">``; scripts send
the token in an ``X-CSRFToken`` header. A missing or wrong token answers with the translated 400
page (``web/errors.py``).
"""
from __future__ import annotations

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


def install(app) -> None:
    """Protect ``app``; ``csrf_token()`` becomes available in every template."""
    # Flask-WTF's strict mode demands a same-origin Referer on HTTPS, but we send
    # "Referrer-Policy: no-referrer", so browsers send none and every production POST would fail.
    # The session-bound token plus SameSite=Lax cookies carry the protection.
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)
    # The token lives as long as the session that holds it (the session has its own idle and
    # absolute limits), so a resident writing a long answer does not lose it after an hour.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)
