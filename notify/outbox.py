"""The outbox: write in the caller's transaction, send after it commits, never send twice.

``enqueue`` adds rows (no commit) next to whatever event caused them; the unique
(dedupe_key, channel) makes a repeated event a no-op. After the commit a worker calls ``deliver``
with the id, and the scheduler's sweep re-sends wake-ups for rows still pending, so a lost
Dramatiq message loses nothing. A crash after the transport accepted a message but before the
commit can send it once more (at-least-once); e-mails then carry the same Message-ID.
"""
from __future__ import annotations

import logging
import re
import uuid
from datetime import timedelta
from typing import Mapping

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from engine import clock
from engine.db import db
from notify import texts
from notify.models import OutboxMessage
from notify.transports import Outgoing, Transport

log = logging.getLogger("vardflode.notify")
TABLE = OutboxMessage.__table__

MAX_ATTEMPTS = 6
FIRST_BACKOFF = timedelta(minutes=1)  # then ×4 per attempt: 1, 4, 16, 64 min, 4 h 16 min
MAX_BACKOFF = timedelta(hours=6)
# A wake-up that has not led to a delivery after this long is sent again (lost or dead worker).
# The default of VARDFLODE_NOTIFY_RESEND_SECONDS; the scheduler's sweep passes the configured value.
RESEND_AFTER = timedelta(seconds=60)

RECIPIENT_KINDS = ("resident", "staff", "email", "sms")
# Dedupe keys are built from ids ("new_message:<id>"), so free text cannot reach the table here.
_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")


def enqueue(recipient_kind: str, recipient, kind: str, dedupe_key: str,
            locale: str | None = texts.DEFAULT_LOCALE) -> list[str]:
    """Add the messages for one event in the caller's transaction; returns the ids of new rows.

    ``recipient_kind`` "resident" or "staff" takes an object with ``email``/``phone`` (and
    ``id``) and makes one row per channel it has an address for; "email" or "sms" takes a bare
    address. Enqueueing the same ``dedupe_key`` again adds nothing. Does not commit."""
    text = texts.compose(kind, locale)  # first: an unknown kind fails before anything is written
    return _enqueue_text(recipient_kind, recipient, kind, text, dedupe_key)


def enqueue_enrolment(staff, link: str, hours: int, dedupe_key: str,
                      locale: str | None = texts.DEFAULT_LOCALE) -> list[str]:
    """The enrolment e-mail (only e-mail: a link that opens an account does not go by SMS)."""
    text = texts.compose_enrolment(locale, link, hours)
    return _enqueue_text("email", getattr(staff, "email", None), "staff_enrolment", text, dedupe_key,
                         recipient_id=staff.id)


def _enqueue_text(recipient_kind: str, recipient, kind: str, text: texts.Text, dedupe_key: str,
                  recipient_id: str | None = None) -> list[str]:
    if not isinstance(dedupe_key, str) or not _KEY.match(dedupe_key):
        raise ValueError("dedupe_key must be 1-200 characters of letters, digits and _.:- (ids, not text)")
    db.session.flush()  # a resident created in this transaction gets its id
    found_id, addresses = _addresses(recipient_kind, recipient)
    recipient_id = recipient_id or found_id
    now = clock.now()
    created = []
    for channel, address in addresses:
        row = {"id": uuid.uuid4().hex, "channel": channel, "recipient": address, "recipient_id": recipient_id,
               "kind": kind, "locale": text.locale, "subject": text.subject if channel == "email" else "",
               "body": text.email_body if channel == "email" else text.sms_body, "dedupe_key": dedupe_key,
               "status": "pending", "attempts": 0, "created_at": now, "next_attempt_at": now}
        if _insert_unless_duplicate(row):
            created.append(row["id"])
    return created


def due(limit: int = 100, resend_after: timedelta | None = None) -> list[str]:
    """Pending messages whose attempt is due and that have no recent wake-up, oldest first."""
    stmt = (select(TABLE.c.id).where(*_due_without_recent_wake_up(resend_after))
            .order_by(TABLE.c.next_attempt_at).limit(limit))
    return list(db.session.scalars(stmt))


def claim_due(limit: int = 100, resend_after: timedelta | None = None) -> list[str]:
    """Mark the ``due`` messages as sent a wake-up and return those this call marked (no commit).

    Several schedulers may sweep at once (tasks/scheduler.py): the UPDATE repeats the condition
    and returns the rows it changed, so each message is claimed by one sweep only, as with timers.
    """
    condition = _due_without_recent_wake_up(resend_after)
    candidates = select(TABLE.c.id).where(*condition).order_by(TABLE.c.next_attempt_at).limit(limit)
    if db.session.scalar(candidates.limit(1)) is None:
        return []  # the usual idle sweep stays a read: no SQLite write lock every 0.1 s
    candidates = candidates.with_for_update(skip_locked=True)  # left out on SQLite, which has one writer
    claim = (update(TABLE).where(TABLE.c.id.in_(candidates.scalar_subquery()), *condition)
             .values(enqueued_at=clock.now()).returning(TABLE.c.id))
    return list(db.session.scalars(claim))


def _due_without_recent_wake_up(resend_after: timedelta | None) -> tuple:
    now = clock.now()
    cutoff = now - (RESEND_AFTER if resend_after is None else resend_after)
    return (TABLE.c.status == "pending", TABLE.c.next_attempt_at <= now,
            or_(TABLE.c.enqueued_at.is_(None), TABLE.c.enqueued_at < cutoff))


def deliver(message_id: str, transports: Mapping[str, Transport]) -> str:
    """Send one message if it is still pending and due; returns "sent", "retry", "failed" or
    "skipped". Idempotent: a second delivery finds it sent (or backing off) and does nothing.
    Does not commit: the caller's one commit records the outcome."""
    now = clock.now()
    # The guarded UPDATE is the lock. On PostgreSQL it takes the row lock a FOR UPDATE would, and
    # a concurrent delivery waits, then re-checks the WHERE and matches nothing; SQLite ignores
    # FOR UPDATE, but this write takes its database write lock with the same effect (and, being
    # the transaction's first write, sees the winner's commit once the wait is over).
    claimed = db.session.execute(
        update(TABLE).where(TABLE.c.id == message_id, TABLE.c.status == "pending",
                            TABLE.c.next_attempt_at <= now)
        .values(attempts=TABLE.c.attempts + 1)).rowcount
    if claimed != 1:
        return "skipped"
    message = db.session.execute(select(OutboxMessage).where(OutboxMessage.id == message_id)
                                 .execution_options(populate_existing=True)).scalar_one()
    try:
        transport = transports[message.channel]
        transport.send(Outgoing(message.id, message.channel, message.recipient, message.subject, message.body))
    except Exception as exc:  # any transport failure is retried by the outbox, not by Dramatiq
        return _record_failure(message, exc, now)
    message.status, message.sent_at, message.last_error = "sent", now, None
    db.session.flush()
    return "sent"


def backoff(attempts: int) -> timedelta:
    return min(FIRST_BACKOFF * 4 ** max(0, attempts - 1), MAX_BACKOFF)


def _record_failure(message: OutboxMessage, exc: Exception, now) -> str:
    message.last_error = _describe(exc)
    if message.attempts >= MAX_ATTEMPTS:
        message.status = "failed"
        log.warning("notification %s failed for good after %d attempts: %s",
                    message.id, message.attempts, message.last_error)
    else:
        message.next_attempt_at = now + backoff(message.attempts)
        message.enqueued_at = None  # the sweep sends a wake-up when the back-off is over
        log.info("notification %s attempt %d failed (%s); next at %s",
                 message.id, message.attempts, message.last_error, message.next_attempt_at.isoformat())
    db.session.flush()
    return message.status if message.status == "failed" else "retry"


def _describe(exc: Exception) -> str:
    """The error class and SMTP code only: server replies and OS messages can echo the address."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}" + (f" {code}" if isinstance(code, int) else "")


def _addresses(recipient_kind: str, recipient) -> tuple[str | None, list[tuple[str, str]]]:
    if recipient_kind in ("resident", "staff"):
        recipient_id = getattr(recipient, "id", None)
        found = [("email", usable_email(getattr(recipient, "email", None))),
                 ("sms", usable_phone(getattr(recipient, "phone", None)))]
    elif recipient_kind == "email":
        recipient_id, found = None, [("email", usable_email(recipient))]
    elif recipient_kind == "sms":
        recipient_id, found = None, [("sms", usable_phone(recipient))]
    else:
        raise ValueError(f"recipient_kind must be one of {', '.join(RECIPIENT_KINDS)}")
    return recipient_id, [(channel, address) for channel, address in found if address]


def usable_email(value) -> str | None:
    address = value.strip() if isinstance(value, str) else ""
    if address and (len(address) > 200 or not _EMAIL.match(address)):
        log.warning("an e-mail address that cannot be used was skipped")  # not the address itself
        return None
    return address or None


def usable_phone(value) -> str | None:
    """E.164; Swedish national numbers (070-123 45 67) get +46, "00" becomes "+"."""
    number = re.sub(r"[\s()./-]", "", value) if isinstance(value, str) else ""
    if not number:
        return None
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number.startswith("0"):
        number = "+46" + number[1:]
    if not _PHONE.match(number):
        log.warning("a phone number that cannot be used was skipped")
        return None
    return number


def _insert_unless_duplicate(row: dict) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: race-free against a concurrent enqueue of the same event,
    and it leaves the caller's transaction usable (a failed plain INSERT would not on PostgreSQL)."""
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = (insert(TABLE).values(**row).on_conflict_do_nothing(index_elements=["dedupe_key", "channel"])
                .returning(TABLE.c.id))  # rowcount is not reliable for this statement on psycopg
        return db.session.execute(stmt).scalar_one_or_none() is not None
    try:  # other databases: a savepoint keeps the caller's transaction alive on a duplicate
        with db.session.begin_nested():
            db.session.execute(TABLE.insert().values(**row))
        return True
    except IntegrityError:
        return False
