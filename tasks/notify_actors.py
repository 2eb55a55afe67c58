"""Sending notifications: the actor (an outbox id in, idempotent, one commit), the after-commit
hand-off for callers, and the sweep the scheduler runs so a lost wake-up loses nothing.

Transport failures are the outbox's business (attempts, back-off, "failed"); Dramatiq retries
only when the database itself failed. Own queue, so a slow mail server never delays timers.
"""
from __future__ import annotations

import dramatiq

from tasks import broker as _broker  # noqa: F401 - the broker must exist before any actor
from engine.db import db
from notify import new_tasks, outbox
from tasks import after_commit, config
from tasks.transaction import one_commit

QUEUE = "notifications"


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=1_000, max_backoff=60_000, time_limit=60_000)
@one_commit
def send_notification(message_id: str) -> None:
    """Deliver one outbox message; a second delivery of the same id finds it sent and does nothing."""
    outbox.deliver(message_id, config.transports())


def announce_new_tasks(outcome, *, locale: str = "sv", completed_by: str | None = None) -> None:
    """Queue the notifications for the tasks an engine call opened, sent once the caller commits."""
    send_after_commit(new_tasks.enqueue_for(outcome, locale, completed_by=completed_by))


def announce_handover(handover_task) -> None:
    """Queue the receiving unit's notification of a hand-over, sent once the caller commits."""
    send_after_commit(new_tasks.enqueue_handover(handover_task))


def send_after_commit(message_ids: list[str]) -> None:
    """Send wake-ups for ``message_ids`` once the current transaction commits (none on rollback);
    if the broker is down then, the outbox sweep sends them later."""
    for message_id in message_ids:
        after_commit.send_after_commit(lambda message_id=message_id: send_notification.send(message_id),
                                       f"notification {message_id}")


def sweep_outbox(limit: int = 100) -> int:
    """Send a wake-up for every due pending message without a recent one; returns how many.
    With several schedulers each message is claimed, and sent, by one of them.

    The claim is committed before sending: a crash in between means a resend after
    the configured resend interval, never a burst of duplicates now."""
    ids = outbox.claim_due(limit, config.settings().notify_resend)
    db.session.commit()  # also when nothing was claimed: ends the read, so SQLite does not pin a snapshot
    for message_id in ids:
        send_notification.send(message_id)
    return len(ids)
