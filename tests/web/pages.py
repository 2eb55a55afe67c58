"""Helpers for tests that post forms: CSRF stays on in tests, so a post carries the token that
a rendered page handed out, exactly as a browser's would."""
from __future__ import annotations

import re

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/") -> str:
    """Return the CSRF token from the form on ``path`` (the header's language switch has one)."""
    html = client.get(path, follow_redirects=True).get_data(as_text=True)  # "/" sends the signed-in on
    match = CSRF_FIELD.search(html)
    assert match, f"no csrf_token field on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict, *, from_page: str = "/", **kwargs):
    """POST ``data`` to ``path`` with the token read from ``from_page``."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, from_page)}, **kwargs)
