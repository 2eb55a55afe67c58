"""The scheduler and the timer actor with the in-process broker, on a moved clock."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from dramatiq import Worker
from sqlalchemy import select

import engine
from engine.db import db
from engine.models import Timer
from tests.conftest import FIXTURES, actor

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def stub_worker(app):
    from tasks.broker import broker
    from tasks.middleware import AppContextMiddleware
    from tasks import actors  # noqa: F401
    if not any(isinstance(m, AppContextMiddleware) for m in broker.middleware):
        broker.add_middleware(AppContextMiddleware(app))
    worker = Worker(broker, worker_timeout=50, queues={"timers"})
    worker.start()
    yield broker
    worker.stop()


def waiting_instance(publish):
    outcome = engine.start(publish(FIXTURES / "simple"), engine.SYSTEM, unit_id="u1", subject_id="r1")
    db.session.commit()
    task = engine.ready_tasks(outcome.instance_id)[0]
    engine.complete_task(task.id, actor("r1", "invanare"), {"q1": 0, "q2": 0})
    db.session.commit()
    return outcome.instance_id


def test_scheduler_fires_due_timers_through_the_worker(ctx, publish, stub_worker):
    from tasks import scheduler
    engine.clock.freeze(T0)
    instance_id = waiting_instance(publish)
    assert scheduler.sweep_once() == 0  # due in a week

    engine.clock.advance(timedelta(days=7, seconds=1))
    assert scheduler.sweep_once() == 1
    stub_worker.join("timers", timeout=30_000)
    db.session.expire_all()
    assert engine.instance(instance_id).status == "completed"
    assert db.session.scalars(select(Timer)).all() == []


def test_a_claimed_timer_is_not_sent_again_until_the_resend_time(ctx, publish, stub_worker, monkeypatch):
    from tasks import scheduler
    engine.clock.freeze(T0)
    waiting_instance(publish)
    engine.clock.advance(timedelta(days=8))
    # Pretend the wake-up went to a broker that lost it: claim without a worker listening.
    monkeypatch.setattr(scheduler.fire_timer, "send_with_options", lambda **kw: None)
    assert scheduler.sweep_once() == 1
    assert scheduler.sweep_once() == 0
    engine.clock.advance(scheduler.resend_after() + timedelta(seconds=1))
    assert scheduler.sweep_once() == 1


def test_wake_ups_carry_only_timer_ids(ctx, publish, monkeypatch):
    from tasks import scheduler
    engine.clock.freeze(T0)
    waiting_instance(publish)
    engine.clock.advance(timedelta(days=8))
    sent = []
    monkeypatch.setattr(scheduler.fire_timer, "send_with_options", lambda **kw: sent.append(kw))
    scheduler.sweep_once()
    assert len(sent) == 1 and sent[0]["args"] == (db.session.scalars(select(Timer.id)).one(),)
    assert all(isinstance(a, int) for a in sent[0]["args"])
