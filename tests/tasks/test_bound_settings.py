"""The actors and the scheduler run with the settings create_app bound, not with values read at
import: a resend interval set in the configuration is the one the sweeps use."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import engine
from engine.db import db
from notify import outbox
from tasks import config as tasks_config
from tests.conftest import FIXTURES, actor

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture()
def short_resends(app, tmp_path):
    """A second app whose settings say 2 s (timers) and 5 s (notifications); the session app's
    settings are bound again afterwards."""
    from web import create_app
    create_app(DATA_DIR=str(tmp_path), SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
               BROKER_URL="stub", TIMER_RESEND_SECONDS="2", NOTIFY_RESEND_SECONDS=5)
    yield tasks_config.settings()
    tasks_config.configure(app.extensions["vardflode_settings"])


def test_create_app_binds_its_settings(ctx, short_resends):
    assert (short_resends.timer_resend, short_resends.notify_resend) == (timedelta(seconds=2), timedelta(seconds=5))
    from tasks import scheduler
    assert scheduler.resend_after() == timedelta(seconds=2)


def test_the_scheduler_resends_a_timer_after_the_configured_interval(ctx, publish, short_resends, monkeypatch):
    from tasks import scheduler
    engine.clock.freeze(T0)
    outcome = engine.start(publish(FIXTURES / "simple"), engine.SYSTEM, unit_id="u1", subject_id="r1")
    db.session.commit()
    task = engine.ready_tasks(outcome.instance_id)[0]
    engine.complete_task(task.id, actor("r1", "invanare"), {"q1": 0, "q2": 0})
    db.session.commit()
    engine.clock.advance(timedelta(days=8))
    monkeypatch.setattr(scheduler.fire_timer, "send_with_options", lambda **kw: None)  # a lost wake-up
    assert scheduler.sweep_once() == 1
    engine.clock.advance(timedelta(seconds=1))
    assert scheduler.sweep_once() == 0
    engine.clock.advance(timedelta(seconds=1.5))  # 2.5 s: past the configured 2 s, long before the default 15 s
    assert scheduler.sweep_once() == 1


def test_the_outbox_sweep_resends_after_the_configured_interval(ctx, short_resends, monkeypatch):
    from tasks import notify_actors
    engine.clock.freeze(T0)
    sent = []
    monkeypatch.setattr(notify_actors.send_notification, "send", sent.append)
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    db.session.commit()
    assert notify_actors.sweep_outbox() == 1
    engine.clock.advance(timedelta(seconds=4))
    assert notify_actors.sweep_outbox() == 0
    engine.clock.advance(timedelta(seconds=2))  # 6 s: past the configured 5 s, long before the default 60 s
    assert notify_actors.sweep_outbox() == 1 and sent == [message_id, message_id]


def test_the_notification_actor_sends_through_the_bound_transports(ctx, short_resends, tmp_path):
    from tasks import notify_actors
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    db.session.commit()
    notify_actors.send_notification.fn(message_id)
    assert (tmp_path / "outbox" / "mail" / f"{message_id}.eml").exists()  # the file transport in its data folder
