"""Per request: a request id, and the principal rebuilt from the server-side session.

Nothing about rights is cached in the cookie or the session row: roles, the assignment's and
the unit's validity are read again on every request (access.principal)."""
from __future__ import annotations

import secrets

from flask import Flask, current_app, g, request

from access import principal as principals
from access import security_log, sessions

COOKIE = "vf_session"
# In production the name carries the __Host- prefix: browsers then accept the cookie only when it
# is Secure, for path / and without a Domain, so no other host or plain-http page can plant one.
SECURE_COOKIE = "__Host-vf_session"


def cookie_name() -> str:
    """The session cookie's name: prefixed wherever cookies are Secure (production)."""
    return SECURE_COOKIE if current_app.config.get("SESSION_COOKIE_SECURE") else COOKIE


def install(app: Flask) -> None:
    app.before_request(_load_principal)
    app.after_request(_log_refusals)


def _log_refusals(response):
    """Every refused request leaves one security event (ASVS 7.2.2), here and nowhere else;
    a view may say what it refused in ``g.refusal_detail`` (web.shell.screens.refuse)."""
    if response.status_code == 403:
        principal = getattr(g, "principal", None)
        # Written before web.shell.transaction commits the response, with any denied PDL row
        # the view wrote before refusing.
        security_log.event("access_refused", "denied", actor_type=principal.kind if principal else None,
                           actor_id=principal.id if principal else None, subject=request.endpoint,
                           detail=(getattr(g, "refusal_detail", "") or "")[:300] or None,
                           request_id=getattr(g, "request_id", None))
    return response


def _load_principal() -> None:
    g.request_id = secrets.token_hex(8)
    g.principal = None
    if request.endpoint == "static":
        return
    token = request.cookies.get(cookie_name())
    session = sessions.find(token) if token else None
    if session is not None:
        g.principal = principals.for_session(session)
    # A touched or expired session is committed with the response (web.shell.transaction).


def set_cookie(response, token: str) -> None:
    response.set_cookie(cookie_name(), token, httponly=True, samesite="Lax", path="/",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))


def clear_cookie(response) -> None:
    response.delete_cookie(cookie_name(), path="/", secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))


def current_token() -> str | None:
    return request.cookies.get(cookie_name())


def client_key() -> str:
    """The address rate limits count per; behind a proxy, configure ProxyFix in front."""
    return request.remote_addr or "unknown"
