"""The send_notification actor through a StubBroker worker, the after-commit hand-off and the
sweep that re-sends lost wake-ups."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from dramatiq import Worker
from sqlalchemy import select

import engine
from access import directory
from engine.db import db
from notify import outbox
from notify.models import OutboxMessage
from tasks import config as tasks_config
from tests.notify.support import Recording, transports

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def stub_worker(app):
    from tasks.broker import broker  # the configured one: the app has been created
    from tasks.middleware import AppContextMiddleware
    from tasks import notify_actors  # declares the actor on the broker
    if not any(isinstance(m, AppContextMiddleware) for m in broker.middleware):
        broker.add_middleware(AppContextMiddleware(app))
    # Only our queue: a Worker keeps a middleware on the broker after stop() that would have it
    # start consumers for queues declared later ("timers") and sit on their messages.
    before = list(broker.middleware)
    worker = Worker(broker, queues={notify_actors.QUEUE}, worker_threads=4, worker_timeout=50)
    worker.start()
    yield broker
    worker.stop()
    broker.middleware[:] = [m for m in broker.middleware if m in before]


@pytest.fixture()
def sender(app, monkeypatch):
    """Recording transports in place of the bound ones, for the worker threads too."""
    chosen = transports(email=Recording("email", delay=0.2), sms=Recording("sms", delay=0.2))
    monkeypatch.setattr(tasks_config, "transports", lambda: chosen)
    return chosen


def test_the_actor_sends_once_when_its_message_is_delivered_twice(ctx, stub_worker, sender):
    from tasks.notify_actors import QUEUE, send_notification
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    db.session.commit()
    send_notification.send(message_id)
    send_notification.send(message_id)  # a redelivery, running at the same time on another thread
    stub_worker.join(QUEUE)
    db.session.expire_all()
    assert len(sender["email"].sent) == 1
    assert db.session.get(OutboxMessage, message_id).status == "sent"


def test_wake_ups_are_sent_after_commit_and_forgotten_on_rollback(ctx, monkeypatch):
    from tasks import notify_actors
    sent = []
    monkeypatch.setattr(notify_actors.send_notification, "send", lambda message_id: sent.append(message_id))
    ids = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    notify_actors.send_after_commit(ids)
    db.session.flush()
    assert sent == []  # a worker must not look for the row before it is committed
    db.session.commit()
    assert sent == ids
    rolled_back = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m2")
    notify_actors.send_after_commit(rolled_back)
    db.session.rollback()
    db.session.commit()
    assert sent == ids
    assert all(isinstance(message_id, str) and len(message_id) == 32 for message_id in sent)  # ids only


def test_a_lost_wake_up_is_resent_by_the_sweep(ctx, monkeypatch):
    from tasks import notify_actors
    engine.clock.freeze(T0)
    sent = []
    monkeypatch.setattr(notify_actors.send_notification, "send", lambda message_id: sent.append(message_id))
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    db.session.commit()  # no send_after_commit: as if the wake-up were lost
    assert notify_actors.sweep_outbox() == 1 and sent == [message_id]
    assert notify_actors.sweep_outbox() == 0  # claimed: not sent again at once
    engine.clock.advance(tasks_config.settings().notify_resend + timedelta(seconds=1))
    assert notify_actors.sweep_outbox() == 1 and sent == [message_id, message_id]


def test_enqueue_commit_and_the_worker_delivers_to_a_protected_resident(ctx, stub_worker, sender):
    from tasks import notify_actors
    resident = directory.create_resident("19121212-1212", "Tolvan", "Tolvansson", protected_identity=True,
                                         email="tolvan@example.se", phone="0701234567")
    notify_actors.send_after_commit(outbox.enqueue("resident", resident, "new_message", f"m:{resident.id}"))
    db.session.commit()
    stub_worker.join(notify_actors.QUEUE)
    assert notify_actors.sweep_outbox() == 0  # nothing left pending
    stub_worker.join(notify_actors.QUEUE)
    db.session.expire_all()
    assert [r.status for r in db.session.scalars(select(OutboxMessage))] == ["sent", "sent"]
    [mail], [sms] = sender["email"].sent, sender["sms"].sent
    assert (mail.recipient, sms.recipient) == ("tolvan@example.se", "+46701234567")
    for outgoing in (mail, sms):
        text = f"{outgoing.subject} {outgoing.body}"
        assert "Tolvan" not in text and "121212" not in text
        assert text.strip().startswith(("Nytt meddelande i Vårdflöde", "Du har ett nytt meddelande"))


def test_a_failing_transport_in_the_worker_is_not_a_dramatiq_retry(ctx, stub_worker, app, monkeypatch):
    from tasks.notify_actors import QUEUE, send_notification
    broken = Recording("email", fail=OSError("down"))
    monkeypatch.setattr(tasks_config, "transports", lambda: transports(email=broken))
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    db.session.commit()
    send_notification.send(message_id)
    stub_worker.join(QUEUE, fail_fast=True)  # would raise had the actor failed
    db.session.expire_all()
    row = db.session.get(OutboxMessage, message_id)
    assert (row.status, row.attempts, row.last_error, len(broken.sent)) == ("pending", 1, "OSError", 1)
