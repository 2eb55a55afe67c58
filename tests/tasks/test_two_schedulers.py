"""Two schedulers at once: each due timer is claimed by exactly one, and killing one of them does
not stop time. The claim tests run on SQLite and PostgreSQL; the fail-over test needs PostgreSQL
and Redis (VARDFLODE_TEST_DATABASE_URL, VARDFLODE_TEST_REDIS_URL) and is skipped without them."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

import engine
from engine.db import db
from engine.models import InstanceEvent, Timer
from tests.conftest import POSTGRES
from tests.support import bpmn

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("VARDFLODE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
RESEND = timedelta(seconds=15)
NOW = timedelta(0)  # the claim's horizon: timers due now


# --- the claim ------------------------------------------------------------------------------

def waiting_program(publish) -> str:
    """A program that waits as long as its start data says (``delay``, ISO text)."""
    timer = bpmn.timer_event("wait", "timeDuration", "delay")
    return publish({"p.bpmn": bpmn.linear("wait_p", timer, "wait")})


def due_timers(publish, count: int) -> set[int]:
    """``count`` timer rows already due, on one instance (the claim reads the timer table only)."""
    instance_id = engine.start(waiting_program(publish), engine.SYSTEM, unit_id="u1",
                               data={"delay": "P1D"}).instance_id
    past = engine.clock.now() - timedelta(minutes=1)
    rows = [Timer(instance_id=instance_id, task_id=f"t{n}", element_id="wait", due_at=past)
            for n in range(count)]
    db.session.add_all(rows)
    db.session.commit()
    return {row.id for row in rows}


def claim_in_thread(app, limit: int, into: list) -> threading.Thread:
    def run():
        with app.app_context():
            into.extend(timer_id for timer_id, _ in engine.claim_due_timers(NOW, RESEND, limit))
            db.session.commit()
            db.session.remove()
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_claim_not_yet_committed_is_not_claimed_again(ctx, publish):
    """The race the select-then-update lost on PostgreSQL: the second scheduler read the rows
    before the first committed, then overwrote them and sent them too."""
    all_ids = due_timers(publish, 20)
    first = {timer_id for timer_id, _ in engine.claim_due_timers(NOW, RESEND, limit=10)}
    second: list[int] = []
    thread = claim_in_thread(ctx, 10, second)
    time.sleep(0.5)  # the second claim runs (PostgreSQL: skips the locked rows; SQLite: waits)
    db.session.commit()
    thread.join(timeout=30)
    assert len(first) == 10 and len(second) == 10
    assert first.isdisjoint(second) and first | set(second) == all_ids


def test_racing_schedulers_never_claim_the_same_timer(ctx, publish):
    all_ids = due_timers(publish, 300)
    claims: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def scheduler(into):
        start.wait()
        with ctx.app_context():
            for _ in range(200):
                claimed = engine.claim_due_timers(NOW, RESEND, limit=7)
                db.session.commit()
                into.extend(timer_id for timer_id, _ in claimed)
            db.session.remove()

    threads = [threading.Thread(target=scheduler, args=(into,)) for into in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    together = claims[0] + claims[1]
    assert len(together) == len(set(together)), "a timer was claimed twice"
    assert set(together) == all_ids


# --- fail-over with real processes ----------------------------------------------------------

@pytest.fixture()
def redis_client():
    if not POSTGRES:
        pytest.skip("needs PostgreSQL (VARDFLODE_TEST_DATABASE_URL)")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("needs Redis at " + REDIS_URL)
    client.flushdb()  # our own database number only
    yield client
    client.flushdb()


def spawn(*args) -> subprocess.Popen:
    env = dict(os.environ, VARDFLODE_DATABASE_URL=os.environ.get("VARDFLODE_TEST_DATABASE_URL", ""),
               VARDFLODE_BROKER_URL=REDIS_URL, dramatiq_worker_timeout="100", PYTHONUNBUFFERED="1")
    env.pop("VARDFLODE_TIMER_RESEND_SECONDS", None)  # the default 15 s: fail-over must not wait for it
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def scheduler() -> subprocess.Popen:
    return spawn(sys.executable, "-m", "cli.main", "scheduler")


def worker() -> subprocess.Popen:
    return spawn(sys.executable, "-m", "dramatiq", "tasks.worker", "--processes", "1", "--threads", "4",
                 "--queues", "timers")


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


def start_timers_due_every(publish, step: float, count: int, first_in: float) -> dict[str, object]:
    """One instance per timer, due ``first_in`` s from now and then every ``step`` s: instance → due."""
    version = waiting_program(publish)
    begin = time.time()
    for n in range(count):
        delay = begin + first_in + n * step - time.time()
        engine.start(version, engine.SYSTEM, unit_id="u1", data={"delay": f"PT{delay:.3f}S"})
        db.session.commit()
    return dict(db.session.execute(select(Timer.instance_id, Timer.due_at)).all())


def wait_for_no_timers(timeout: float) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        db.session.expire_all()
        if not db.session.scalars(select(Timer.id).limit(1)).first():
            return
        time.sleep(0.2)


def firings() -> dict[str, list]:
    db.session.expire_all()
    fired: dict[str, list] = {}
    for instance_id, at in db.session.execute(select(InstanceEvent.instance_id, InstanceEvent.at)
                                              .where(InstanceEvent.kind == "timer_fired")):
        fired.setdefault(instance_id, []).append(at)
    return fired


@pytest.mark.slow
@pytest.mark.redis
def test_killing_one_of_two_schedulers_delays_timers_less_than_5_seconds(ctx, publish, redis_client):
    schedulers = [scheduler(), scheduler()]
    work = worker()
    try:
        time.sleep(3)  # both schedulers and the worker are up
        due = start_timers_due_every(publish, step=0.5, count=30, first_in=1.5)
        time.sleep(4)
        stop(schedulers[0], signal.SIGKILL)
        killed_at = engine.clock.now()  # after it is dead: it can claim nothing later
        wait_for_no_timers(timeout=45)
        fired = firings()
    finally:
        for proc in schedulers[1:] + [work]:
            stop(proc)
    assert {i: len(at) for i, at in fired.items()} == {i: 1 for i in due}, "each timer fires once"
    late = {i: (fired[i][0] - due[i]).total_seconds() for i in due}
    after = [late[i] for i in due if due[i] > killed_at]
    before = [late[i] for i in due if due[i] <= killed_at]
    print(f"lateness before the kill: max {max(before, default=0):.2f} s over {len(before)}; "
          f"after: max {max(after):.2f} s over {len(after)}")
    assert len(after) >= 15
    assert max(after) < 5
