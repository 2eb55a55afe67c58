"""The outbox: one row per event and channel, written in the caller's transaction, sent once,
backing off on failure and giving up after MAX_ATTEMPTS."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from sqlalchemy import func, select

import engine
from access import directory
from engine.db import db
from notify import outbox
from notify.models import OutboxMessage
from tests.notify.support import Recording, transports

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def resident(email="anna@example.se", phone="+46701234567"):
    return SimpleNamespace(id="r1", email=email, phone=phone, given_name="Anna", family_name="Svensson")


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_enqueue_writes_one_row_per_channel_and_dedupes(ctx):
    first = outbox.enqueue("resident", resident(), "new_message", "new_message:m1", "sv")
    again = outbox.enqueue("resident", resident(), "new_message", "new_message:m1", "sv")
    db.session.commit()
    assert len(first) == 2 and again == []
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.channel)).all()
    assert [(r.channel, r.recipient, r.recipient_id, r.status) for r in rows] == [
        ("email", "anna@example.se", "r1", "pending"), ("sms", "+46701234567", "r1", "pending")]
    # A later transaction enqueueing the same event again adds nothing either.
    assert outbox.enqueue("resident", resident(), "new_message", "new_message:m1", "en") == []
    db.session.commit()
    assert count() == 2


def test_a_channel_without_a_usable_address_is_skipped(ctx):
    assert len(outbox.enqueue("resident", resident(phone=None), "new_task", "t:1")) == 1
    assert len(outbox.enqueue("resident", resident(email="", phone="not a number"), "new_task", "t:2")) == 0
    assert len(outbox.enqueue("resident", resident(email="a@b.se\r\nBcc: x@y.se", phone=""), "new_task", "t:3")) == 0
    db.session.commit()
    assert [r.channel for r in db.session.scalars(select(OutboxMessage))] == ["email"]


def test_swedish_numbers_become_e164(ctx):
    outbox.enqueue("sms", "070-123 45 67", "reminder", "r:1")
    outbox.enqueue("sms", "0046 70 765 43 21", "reminder", "r:2")
    db.session.commit()
    assert sorted(db.session.scalars(select(OutboxMessage.recipient))) == ["+46701234567", "+46707654321"]


def test_enqueue_does_not_commit(ctx):
    outbox.enqueue("resident", resident(), "new_message", "new_message:m1")
    db.session.rollback()
    assert count() == 0


def test_a_real_resident_row_works_as_recipient(ctx):
    person = directory.create_resident("19121212-1212", "Tolvan", "Tolvansson", email="tolvan@example.se")
    ids = outbox.enqueue("resident", person, "questionnaire_due", f"q:{person.id}")
    db.session.commit()
    assert db.session.get(OutboxMessage, ids[0]).recipient_id == person.id


def test_delivering_twice_sends_once(ctx):
    engine.clock.freeze(T0)
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    db.session.commit()
    sender = transports()
    assert outbox.deliver(message_id, sender) == "sent"
    db.session.commit()
    assert outbox.deliver(message_id, sender) == "skipped"
    db.session.commit()
    assert len(sender["email"].sent) == 1
    row = db.session.get(OutboxMessage, message_id)
    assert (row.status, row.attempts, row.sent_at, row.last_error) == ("sent", 1, T0, None)
    outgoing = sender["email"].sent[0]
    assert (outgoing.id, outgoing.recipient, outgoing.subject) == (message_id, "anna@example.se",
                                                                 "Nytt meddelande i Vårdflöde")


def test_concurrent_deliveries_send_once(ctx, app):
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    db.session.commit()
    sender = transports(email=Recording("email", delay=0.3))
    outcomes, barrier = [], threading.Barrier(2)

    def attempt():
        with app.app_context():
            barrier.wait()
            outcomes.append(outbox.deliver(message_id, sender))
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(sender["email"].sent) == 1


def test_a_failing_transport_backs_off_and_finally_gives_up(ctx):
    engine.clock.freeze(T0)
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    db.session.commit()
    broken = Recording("email", fail=ConnectionRefusedError(111, "refused by anna@example.se"))
    sender = transports(email=broken)
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        outcome = outbox.deliver(message_id, sender)
        db.session.commit()
        row = db.session.get(OutboxMessage, message_id)
        assert row.attempts == attempt and row.last_error == "ConnectionRefusedError"
        if attempt < outbox.MAX_ATTEMPTS:
            assert outcome == "retry" and row.status == "pending"
            assert row.next_attempt_at == engine.clock.now() + outbox.backoff(attempt)
            assert outbox.due() == []  # not before the back-off is over ...
            assert outbox.deliver(message_id, sender) == "skipped"  # ... not even when woken early
            db.session.commit()
            engine.clock.advance(outbox.backoff(attempt))
            assert outbox.due() == [message_id]
        else:
            assert outcome == "failed" and row.status == "failed"
    assert len(broken.sent) == outbox.MAX_ATTEMPTS
    assert outbox.deliver(message_id, sender) == "skipped"
    engine.clock.advance(timedelta(days=30))
    assert outbox.due() == []
    assert [outbox.backoff(n) for n in (1, 2, 5, 9)] == [timedelta(minutes=1), timedelta(minutes=4),
                                                         timedelta(minutes=256), outbox.MAX_BACKOFF]


def test_due_leaves_out_messages_with_a_recent_wake_up(ctx):
    engine.clock.freeze(T0)
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    db.session.commit()
    assert outbox.due() == [message_id]
    assert outbox.claim_due() == [message_id]
    db.session.commit()
    assert outbox.due() == [] and outbox.claim_due() == []  # a second sweep claims nothing
    engine.clock.advance(outbox.RESEND_AFTER + timedelta(seconds=1))
    assert outbox.due() == [message_id]
