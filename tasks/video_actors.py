"""Booking video meetings: the actor (a meeting id in, idempotent, one commit) and the sweep the
scheduler runs. The vendor being down is the booking's business (video/booking.py: the reason,
back-off, next try); Dramatiq retries only when the database itself failed. Own queue, so a slow
vendor never delays timers or notifications."""
from __future__ import annotations

import time

import dramatiq

from tasks import broker as _broker  # noqa: F401 - the broker must exist before any actor
from engine.db import db
from tasks.transaction import one_commit
from video import booking

QUEUE = "video"
CANCEL_EVERY_SECONDS = 30.0  # looking for steps that went away costs a query per meeting: not every sweep
_last_cancel = [0.0]


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=1_000, max_backoff=60_000, time_limit=60_000)
@one_commit
def book_meeting(meeting_id: str) -> None:
    """One try to book the meeting; a second delivery finds it booked (or not yet due) and does nothing."""
    booking.book(meeting_id)


def sweep_meetings(limit: int = 50) -> int:
    """Send a wake-up for every pending meeting due for a try; cancel meetings whose step went away.
    The claim is committed before sending, as the outbox does."""
    ids = booking.claim_due(limit)
    if time.monotonic() - _last_cancel[0] >= CANCEL_EVERY_SECONDS:
        _last_cancel[0] = time.monotonic()
        booking.cancel_gone()
    db.session.commit()
    for meeting_id in ids:
        book_meeting.send(meeting_id)
    return len(ids)
