"""Links the platform sends out of the request, e.g. in an e-mail: built on VARDFLODE_PUBLIC_URL.

Production must set it (settings refuses to start otherwise): the request's Host header is
whoever sends the request's choice, and an activation link built on it could send a new member
of staff's one-time token to someone else's site. Elsewhere the request's own address is used,
so the demo and the tests need nothing configured."""
from __future__ import annotations

from flask import current_app, request


def public_base_url() -> str:
    """The platform's address without a trailing slash."""
    return (current_app.config.get("PUBLIC_URL") or request.host_url).rstrip("/")
