"""One commit per message, at the edge: an actor's work is committed when it returns and rolled
back when it raises, so Dramatiq retries it with nothing half-written. Actor bodies never commit.

A wrapper, not a middleware: Dramatiq logs and swallows whatever a middleware's
after_process_message raises, so a commit that failed there would count as done, not be retried."""
from __future__ import annotations

import functools

from engine.db import db


def one_commit(actor_fn):
    """Wrap ``actor_fn`` (under ``@dramatiq.actor``) so its work is committed once or rolled back."""
    @functools.wraps(actor_fn)
    def run(*args, **kwargs):
        try:
            result = actor_fn(*args, **kwargs)
            db.session.commit()
        except BaseException:  # a time limit or a shutdown is not a success either
            db.session.rollback()
            raise
        return result
    return run
