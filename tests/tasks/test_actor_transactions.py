"""One commit per message, at the edge: an actor's writes are committed once when it returns and
rolled back when it raises, checked through a fresh session (only what was committed counts)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import dramatiq
import pytest
from dramatiq import Worker
from sqlalchemy import event, select
from sqlalchemy.orm import Session

import engine
from access import security_log
from access.records import SecurityEvent
from engine.db import db
from engine.models import Timer
from tasks import broker as _broker  # noqa: F401 - the broker must exist before the actor below
from tasks.transaction import one_commit
from tests.conftest import FIXTURES, actor

QUEUE = "transaction_tests"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
commits: list[str] = []


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
@one_commit
def write_event(marker: str, fail: bool) -> None:
    """Write one security event about ``marker``; raise afterwards when told to."""
    event.listen(db.session(), "after_commit", lambda _session: commits.append(marker))
    security_log.event("actor_test", "ok", subject=marker)
    if fail:
        raise RuntimeError("after writing")


@pytest.fixture(scope="module")
def stub_worker(app):
    from tasks.broker import broker
    from tasks.middleware import AppContextMiddleware
    if not any(isinstance(m, AppContextMiddleware) for m in broker.middleware):
        broker.add_middleware(AppContextMiddleware(app))
    before = list(broker.middleware)
    worker = Worker(broker, queues={QUEUE}, worker_threads=1, worker_timeout=50)
    worker.start()
    yield broker
    worker.stop()
    broker.middleware[:] = [m for m in broker.middleware if m in before]


def committed(stmt) -> list:
    with Session(db.engine) as fresh:
        return list(fresh.scalars(stmt))


def events_about(marker: str) -> list[SecurityEvent]:
    return committed(select(SecurityEvent).where(SecurityEvent.subject == marker))


def test_an_actors_writes_are_committed_once_when_it_returns(ctx, stub_worker):
    commits.clear()
    write_event.send("kept", False)
    stub_worker.join(QUEUE, fail_fast=True)
    assert commits == ["kept"] and len(events_about("kept")) == 1


def test_an_actors_writes_are_rolled_back_when_it_raises(ctx, stub_worker):
    commits.clear()
    write_event.send("dropped", True)
    stub_worker.join(QUEUE, fail_fast=False)  # max_retries=0: the failed message is dead-lettered
    assert commits == [] and events_about("dropped") == []


def test_the_timer_actor_commits_its_firing_when_called_directly(ctx, publish):
    """As the story test and a debugging session call it: the wrapper commits there too."""
    from tasks import actors
    engine.clock.freeze(T0)
    outcome = engine.start(publish(FIXTURES / "simple"), engine.SYSTEM, unit_id="u1", subject_id="r1")
    task = engine.ready_tasks(outcome.instance_id)[0]
    engine.complete_task(task.id, actor("r1", "invanare"), {"q1": 0, "q2": 0})
    db.session.commit()
    engine.clock.advance(timedelta(days=8))
    [timer_id] = engine.overdue_timer_ids()
    actors.fire_timer(timer_id)
    assert committed(select(Timer)) == []
