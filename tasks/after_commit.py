"""Wake-ups sent once the current transaction commits, and never if it rolls back.

Sending before the commit would let a worker look for a row that is not there yet. Each wake-up
is an id (never health data); a failed send is logged, not raised: the commit has happened, and
failing the request or actor now would mislead. Whoever queues here has a sweep that sends a
lost wake-up again (the outbox sweep, the scheduler's purge planning)."""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import event

from engine.db import db

log = logging.getLogger("vardflode.tasks")
_PENDING = "vardflode_after_commit"


def send_after_commit(send: Callable[[], None], what: str) -> None:
    """Call ``send()`` once the current transaction commits; ``what`` names it in the log."""
    session = db.session()  # the real Session behind the scoped proxy; listeners go on it
    if _PENDING not in session.info:
        event.listen(session, "after_commit", _send_pending)
        event.listen(session, "after_rollback", _forget_pending)
        session.info[_PENDING] = []
    session.info[_PENDING].append((send, what))


def _send_pending(session) -> None:
    pending, session.info[_PENDING] = session.info.get(_PENDING, []), []
    for send, what in pending:
        try:
            send()
        except Exception:  # noqa: BLE001 - see the module docstring
            log.warning("wake-up for %s not sent; its sweep will send it", what, exc_info=True)


def _forget_pending(session) -> None:
    session.info[_PENDING] = []
