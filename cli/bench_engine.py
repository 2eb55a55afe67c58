"""Benchmark part (1): the cost of a task completion, facade against bare SpiffWorkflow. (Part (2),
stored size, is counted by ``engine.benchmark.storage``: it reads every row an instance owns.)"""
from __future__ import annotations

import statistics
import time

import engine
from engine import baseline
from engine.db import db
from cli import packages

RESIDENT_UNIT = "bench-unit"


def publish_benchmark_program():
    version = engine.store_version(packages.load(packages.WORKFLOWS / "benchmark"))
    db.session.commit()
    return version


def answers(week: int) -> dict:
    return {"q1": week % 4, "q2": (week + 1) % 4, "q3": (week + 2) % 4, "week": week}


def completion(version, quick: bool) -> dict:
    """Interleaved, so both sides see the same machine state; medians over every completion."""
    count, rounds = (40, 2) if quick else (200, 4)
    instance_ids = _facade_instances(version, count)
    with db.engine.begin() as conn:
        baseline.create_table(conn)
        template = baseline.new_serialized(version, answers(0))
        for row_id in range(count):
            baseline.insert(conn, row_id, template)
    facade, bare = [], []
    for week in range(1, rounds + 1):
        for row_id, instance_id in enumerate(instance_ids):
            task_id = engine.ready_tasks(instance_id)[0].id
            facade.append(_timed(lambda: _facade_complete(task_id, instance_id, week)))
            bare.append(_timed(lambda: _bare_complete(row_id, week)))
    with db.engine.begin() as conn:
        baseline.drop_table(conn)
    warm = len(instance_ids)  # the first round warms caches on both sides
    f, b = statistics.median(facade[warm:]), statistics.median(bare[warm:])
    return {"operations": len(facade) - warm, "facade_median_ms": f * 1000, "bare_median_ms": b * 1000,
            "facade_mean_ms": statistics.fmean(facade[warm:]) * 1000,
            "bare_mean_ms": statistics.fmean(bare[warm:]) * 1000, "ratio": f / b, "instances": instance_ids}


def _facade_instances(version, count):
    ids = []
    for n in range(count):
        outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id=RESIDENT_UNIT,
                               subject_id=f"bench-resident-{n}", owner_id="bench-clinician")
        engine.complete_task(outcome.ready_task_ids[0], engine.SYSTEM, answers(0))
        db.session.commit()
        ids.append(outcome.instance_id)
    return ids


def _facade_complete(task_id, instance_id, week):
    engine.complete_task(task_id, engine.SYSTEM, answers(week))
    db.session.commit()


def _bare_complete(row_id, week):
    with db.engine.begin() as conn:
        baseline.load_complete_save(conn, row_id, answers(week))


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started
