"""Translated error pages (400, 403, 404, 405, 413, 422 for a value too long to keep, 429, 500, a
failed CSRF check, and 503 when the database cannot be reached).

They say what happened and what to do next, in the visitor's language, and never show a stack
trace or the exception text: those go to the log only.
"""
from __future__ import annotations

from flask import current_app, g, render_template
from flask_babel import format_decimal, gettext, lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

import engine
from access import security_log
from engine.db import ValueTooLong, db
from web.shell import upload_limits

TITLES = {
    400: _l("The request could not be handled"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("This page cannot be used that way"),
    413: _l("What you sent is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
}
EXPLANATIONS = {
    400: _l("Something in what was sent was missing or wrong. Go back and try again."),
    403: _l("You do not have permission to see this page. Contact your administrator if you think "
            "this is wrong."),
    404: _l("The page may have been moved or removed, or the address may be mistyped."),
    405: _l("Go back and use the buttons and links on the page."),
    429: _l("Wait a while and then try again."),
    500: _l("An error occurred on our side. Try again in a while."),
}
DATABASE_DOWN = (_l("Vårdflöde is unavailable right now"),
                 _l("We cannot reach our database at the moment. Nothing you sent has been lost or saved "
                    "twice. Try again in a few minutes."))
# Headers that tell the client what to do next (Allow on 405, Retry-After on 429).
KEPT_HEADERS = {"allow", "retry-after"}


def install(app) -> None:
    """Render our own page for every HTTP error of ``app``."""
    app.register_error_handler(CSRFError, _csrf_failed)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ValueTooLong, _value_too_long)
    app.register_error_handler(engine.VersionRefused, _version_refused)
    for unreachable in (OperationalError, InterfaceError, DisconnectionError):
        app.register_error_handler(unreachable, _database_unavailable)


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error  # redirects raised by routing pass through untouched
    code = error.code if error.code in TITLES else (500 if error.code >= 500 else 400)
    explanation = _too_large() if code == 413 else EXPLANATIONS[code]
    headers = [(k, v) for k, v in error.get_headers() if k.lower() in KEPT_HEADERS]
    return _page(error.code, TITLES[code], explanation), error.code, headers


def _database_unavailable(error):
    """The database is down or locked: the request is rolled back; say so with 503, not 500."""
    # The driver's own message only: SQLAlchemy's text carries the statement's parameters, which
    # may be health data.
    driver_said = str(getattr(error, "orig", "") or "").split("\n", 1)[0]
    current_app.logger.warning("database unavailable: %s %s", type(error).__name__, driver_said)
    return _page(503, *DATABASE_DOWN), 503, [("Retry-After", "60")]


def _value_too_long(error: ValueTooLong):
    """Nothing was saved (the whole request is rolled back); name the field and its limit. Going
    back in the browser keeps what was typed, so nothing is lost."""
    db.session.rollback()
    current_app.logger.info("value too long: %s.%s (%s of at most %s characters)", error.table, error.field,
                            error.length, error.limit)
    title = _l("A text is too long")
    explanation = gettext("The field “%(field)s” may hold at most %(limit)s characters; you wrote %(length)s. "
                          "Nothing was saved. Go back, shorten it and send again: what you wrote is still there.",
                          field=error.field, limit=error.limit, length=error.length)
    return _page(422, title, explanation), 422


def _version_refused(error):
    """A program version whose stored logic no longer matches its content hash is never run. The
    instance was put in incident by the engine; the attempt is a security event. 409, so both are
    committed with the request."""
    principal = g.get("principal")
    security_log.event("version_refused", "denied", actor_type=getattr(principal, "kind", None),
                       actor_id=getattr(principal, "id", None), subject=error.content_hash, detail=error.reason,
                       request_id=g.get("request_id"))
    title = _l("This program cannot be used right now")
    explanation = _l("A safety check of the program failed, so it has been stopped. Nothing you sent now was "
                     "saved. An administrator has been told. If you need help now, call 1177, or 112 in an "
                     "emergency.")
    return _page(409, title, explanation), 409


def _csrf_failed(_error: CSRFError):
    title = _l("The form could not be sent")
    explanation = _l("For your security, forms only work for a while and only from the page they "
                     "were shown on. Go back, reload the page and try again.")
    return _page(400, title, explanation), 400


def _too_large() -> str:
    megabytes = upload_limits.named_limit() / (1024 * 1024)  # the limit of the view it was sent to
    return gettext("The largest size we accept is %(size)s MB. Choose a smaller file and try again.",
                   size=format_decimal(round(megabytes, 1)))


def _page(code: int, title, explanation) -> str:
    return render_template("errors/error.html", code=code, title=title, explanation=explanation)
