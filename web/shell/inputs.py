"""One input layer before any view: control characters never reach a view, a query or the PDL log,
and no value in the address is longer than any id or filter could be. (A form value longer than
its column is refused at the flush, naming the field: engine.db.ValueTooLong.)

PostgreSQL refuses a NUL byte in text, so a NUL in an id, a message, a name or a cookie would
surface as a 500 from deep inside a write (the PDL row itself). Every request is checked first:
route parameters, query parameters, form fields and the session cookie. Single-line values may hold
no control characters at all; form fields may hold tab and line breaks (a message has lines). A
refused request gets the translated 400 page and nothing is read or written.
"""
from __future__ import annotations

import re

from flask import Flask, abort, g, request

from web.shell import session_hook

# C0 controls and DEL; tab, LF and CR are allowed in form fields only.
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def install(app: Flask) -> None:
    """Check every request before any other hook (the session hook reads the database)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_control_characters)


MAX_ADDRESS_VALUE = 1000  # no id, filter or page number comes near; longer is an attack or an accident


def _refuse_control_characters():
    in_address = [*(request.view_args or {}).values(), *request.args.values()]
    if _has(_ANY_CONTROL, in_address):
        _refuse("a control character in the address")
    if any(isinstance(value, str) and len(value) > MAX_ADDRESS_VALUE for value in in_address):
        _refuse("an over-long value in the address")
    if _has(_ANY_CONTROL, [request.cookies.get(session_hook.COOKIE, ""),
                           request.cookies.get(session_hook.SECURE_COOKIE, "")]):
        _refuse("a control character in the session cookie")
    if _form_within_limit() and _has(_CONTROL_IN_TEXT, request.form.values()):
        _refuse("a control character in a form field")


def _form_within_limit() -> bool:
    """A form to look at; one over the size limit is left to the 413 page in its own language."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    limit = request.max_content_length  # the view's own limit (web/shell/upload_limits.py)
    return not (limit and (request.content_length or 0) > limit)


def _has(pattern, values) -> bool:
    return any(isinstance(value, str) and pattern.search(value) for value in values)


def _refuse(what: str):
    g.refusal_detail = what
    abort(400)
