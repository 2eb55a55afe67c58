"""One transaction per request, owned by the app (DESIGN.md: one commit per request, at the edge).

Every response below 500 is committed, so a PDL row or security event written before a 403 or a
404 stays; a 500, or an exception that escapes, rolls everything back. Views never commit. A view
that must drop its work (an engine conflict) rolls back itself and writes what must still be
recorded after that. The commit happens before the body is sent: a streamed body would read the
database after it, so views build their bodies (CSV exports too) before returning."""
from __future__ import annotations

from flask import Flask

from engine.db import db


def install(app: Flask) -> None:
    """Commit or roll back at the end of every request; install before every other after_request
    hook, because Flask runs them in reverse order and the hooks that write (the 403 security
    event) must run before the commit."""
    app.after_request(_commit_below_500)
    app.teardown_request(_roll_back_after_exception)


def _commit_below_500(response):
    if response.status_code >= 500:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except Exception:
        # Flask turns the exception into the 500 page (and runs this hook again for it, which
        # rolls back); roll back first, so that page is rendered with a usable session.
        db.session.rollback()
        raise
    return response


def _roll_back_after_exception(error) -> None:
    if error is not None:  # also when no after_request ran (PROPAGATE_EXCEPTIONS in tests)
        db.session.rollback()
