"""Real worker processes on PostgreSQL and a real Redis: competing workers, a killed worker and
a flushed Redis. Each timer fires exactly once. Skipped unless both services are configured."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import pytest
import redis
from sqlalchemy import func, select

import engine
from engine.db import db
from engine.models import InstanceEvent, Timer
from tests.conftest import POSTGRES
from tests.support import bpmn

REDIS_URL = os.environ.get("VARDFLODE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
pytestmark = [pytest.mark.redis, pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL")]


@pytest.fixture()
def redis_client():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("needs Redis at " + REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def service_env():
    env = dict(os.environ)
    env.update(VARDFLODE_DATABASE_URL=os.environ["VARDFLODE_TEST_DATABASE_URL"],
               VARDFLODE_BROKER_URL=REDIS_URL, VARDFLODE_TIMER_RESEND_SECONDS="2",
               dramatiq_worker_timeout="100", PYTHONUNBUFFERED="1")
    return env


def spawn(*args):
    return subprocess.Popen(args, env=service_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def worker():
    return spawn(sys.executable, "-m", "dramatiq", "tasks.worker", "--processes", "1", "--threads", "2",
                 "--queues", "timers")


def scheduler():
    return spawn(sys.executable, "-m", "cli.main", "scheduler")


def stop(proc, sig=signal.SIGTERM):
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


def start_timers(publish, count, seconds):
    doc = bpmn.linear("wait_p", bpmn.timer_event("wait", "timeDuration", f"PT{seconds}S"), "wait")
    version = publish({"p.bpmn": doc})
    ids = [engine.start(version, engine.SYSTEM, unit_id="u1").instance_id for _ in range(count)]
    db.session.commit()
    return ids


def wait_until_fired(count, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        db.session.expire_all()
        if db.session.scalar(select(func.count()).select_from(Timer)) == 0:
            break
        time.sleep(0.2)
    time.sleep(1.0)  # let any duplicate wake-up run, so a double firing would show
    db.session.expire_all()
    fired = db.session.execute(select(InstanceEvent.instance_id, func.count())
                               .where(InstanceEvent.kind == "timer_fired")
                               .group_by(InstanceEvent.instance_id)).all()
    return dict(fired)


def send_duplicates(timer_ids):
    """Extra wake-ups for every timer, straight into Redis, as a crashed scheduler might leave."""
    import dramatiq
    from dramatiq.brokers.redis import RedisBroker
    broker = RedisBroker(url=REDIS_URL)
    broker.declare_queue("timers")
    for timer_id in timer_ids:
        for _ in range(2):
            broker.enqueue(dramatiq.Message(queue_name="timers", actor_name="fire_timer",
                                            args=(timer_id,), kwargs={}, options={}))
    broker.close()


def test_two_workers_compete_and_each_timer_fires_once(ctx, publish, redis_client):
    ids = start_timers(publish, 60, seconds=2)
    timer_ids = list(db.session.scalars(select(Timer.id)))
    workers = [worker(), worker()]
    try:
        time.sleep(2.5)
        send_duplicates(timer_ids)
        sched = scheduler()
        try:
            fired = wait_until_fired(len(ids))
        finally:
            stop(sched)
    finally:
        for proc in workers:
            stop(proc)
    assert fired == {i: 1 for i in ids}


def test_killed_worker_and_flushed_redis_lose_nothing(ctx, publish, redis_client):
    ids = start_timers(publish, 150, seconds=2)
    sched = scheduler()
    first = worker()
    try:
        time.sleep(2.3)  # timers due; the first worker is in the middle of firing them
        stop(first, signal.SIGKILL)
        db.session.expire_all()
        print("timers left when the worker was killed:", db.session.scalar(select(func.count()).select_from(Timer)))
        redis_client.flushdb()
        second = worker()
        try:
            fired = wait_until_fired(len(ids))
        finally:
            stop(second)
    finally:
        stop(sched)
    assert fired == {i: 1 for i in ids}
