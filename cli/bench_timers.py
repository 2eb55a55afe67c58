"""Benchmark part (4): timer lateness with 10,000 pending timers, a real Redis and real processes.

A scheduler process and a Dramatiq worker process run against the benchmark database and Redis.
9,500 timers wait a month (copies of a real waiting instance); 500 fall due over 20 seconds. The
lateness of each is the time its firing was recorded minus its due time.
"""
from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import timedelta

import redis

import engine
from cli import bench_guard
from engine import benchmark
from engine.db import db

WAIT_PROGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Defs_bench_wait"
  targetNamespace="http://vardflode.se/benchmark">
  <bpmn:process id="bench_wait" name="Vänta (benchmark)" isExecutable="true">
    <bpmn:startEvent id="bw_start" />
    <bpmn:intermediateCatchEvent id="bw_wait"><bpmn:timerEventDefinition id="bw_timer">
      <bpmn:timeDuration>duration(seconds=wait_seconds)</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="bw_end" />
    <bpmn:sequenceFlow id="bw_f1" sourceRef="bw_start" targetRef="bw_wait" />
    <bpmn:sequenceFlow id="bw_f2" sourceRef="bw_wait" targetRef="bw_end" />
  </bpmn:process>
</bpmn:definitions>"""


def run(app, database_url: str, redis_url: str | None, quick: bool, reuse: bool = False) -> dict:
    if not redis_url:
        return {"skipped": "give --redis-url redis://host:6379/N (a Redis database the benchmark may empty)"}
    client = redis.Redis.from_url(redis_url)
    try:
        client.ping()
    except redis.ConnectionError:
        return {"skipped": f"no Redis at {redis_url}"}
    bench_guard.check_redis(client, redis_url, reuse)
    client.flushdb()
    client.set(bench_guard.MARK_KEY, "1")
    pending, near, lead, spread = (2_000, 100, 6.0, 5.0) if quick else (10_000, 500, 6.0, 20.0)
    with app.app_context():
        engine.clock.reset()
        version = engine.store_version(engine.check_package({"bench_wait.bpmn": WAIT_PROGRAM.encode()}))
        db.session.commit()
        version_hash = version.content_hash
        _far_timers(version, pending - near)
    env = _env(database_url, redis_url)
    processes = [_spawn([sys.executable, "-m", "dramatiq", "tasks.worker", "--processes", "1", "--threads", "4",
                         "--queues", "timers"], env),
                 _spawn([sys.executable, "-m", "cli.main", "scheduler"], env)]
    try:
        time.sleep(3.0)  # let both processes boot before anything falls due
        with app.app_context():
            due = _near_timers(version_hash, near, lead, spread)
            lateness = _wait_for_firings(due, lead + spread + 30)
    finally:
        for proc in processes:
            _stop(proc)
        client.flushdb()
        client.set(bench_guard.MARK_KEY, "1")
    fired = sorted(lateness)
    return {"pending": pending, "measured": near, "fired": len(fired),
            "p50_s": _percentile(fired, 50), "p99_s": _percentile(fired, 99), "max_s": max(fired or [0]),
            "workers": "1 process x 4 threads", "scheduler_poll_s": 0.1}


def _far_timers(version, count, chunk=5_000) -> None:
    """Copies of one instance waiting a month: real rows the scheduler's query must skip."""
    outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id="bench", data={"wait_seconds": 30 * 86400})
    db.session.commit()
    if outcome.status != "running":
        raise RuntimeError(f"the benchmark timer program did not start: {outcome.incident}")
    for first in range(1, count, chunk):
        benchmark.copy_waiting(outcome.instance_id, min(count, first + chunk) - first)
        db.session.commit()


def _near_timers(version_hash, count, lead, spread) -> dict:
    """Instances whose timers fall due one after another; returns instance id -> due time."""
    started = engine.clock.now()
    due = {}
    for n in range(count):
        seconds = lead + spread * n / count - (engine.clock.now() - started).total_seconds()
        outcome = engine.start(version_hash, engine.SYSTEM, unit_id="bench", data={"wait_seconds": seconds})
        db.session.commit()
        due[outcome.instance_id] = benchmark.timer_due(outcome.instance_id)
    return due


def _wait_for_firings(due: dict, timeout: float) -> list[float]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        db.session.expire_all()
        if len(benchmark.timer_firings(due)) >= len(due):
            break
        time.sleep(0.5)
    fired = benchmark.timer_firings(due)
    return [max(timedelta(0), at - due[instance_id]).total_seconds() for instance_id, at in fired]


def _percentile(values, pct) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] if pct < 100 else max(values)


def _env(database_url, redis_url) -> dict:
    env = dict(os.environ)
    env.update(VARDFLODE_DATABASE_URL=database_url.replace("postgresql+psycopg://", "postgresql://", 1),
               VARDFLODE_BROKER_URL=redis_url, dramatiq_worker_timeout="100", PYTHONUNBUFFERED="1")
    return env


def _spawn(args, env):
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _stop(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
