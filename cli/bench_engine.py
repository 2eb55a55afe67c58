"""Benchmark parts (1) and (2): completion cost and stored size, facade against bare SpiffWorkflow."""
from __future__ import annotations

import statistics
import time

from sqlalchemy import select

import engine
from engine import baseline
from engine.db import db
from engine.models import EventWait, HumanTask, InstanceEvent, ProcessInstance, Timer
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


def storage(version) -> dict:
    """Bytes we keep per instance (state + instance row + index rows) against the default JSON."""
    ours, state, index, default, history = [], [], [], [], []
    for instance in db.session.scalars(select(ProcessInstance)):
        rows = _index_bytes(instance.id)
        meta = sum(len(str(v or "")) for v in (instance.id, instance.version_hash, instance.process_id,
                                                 instance.status, instance.unit_id, instance.subject_id,
                                                 instance.owner_id)) + 8 * 6
        state.append(len(instance.state))
        index.append(rows + meta)
        ours.append(len(instance.state) + rows + meta)
        default.append(baseline.default_size_of(version, instance.state))
        history.append(_history_bytes(instance.id))
    mean = statistics.fmean
    return {"instances": len(ours), "ours_bytes": mean(ours), "state_bytes": mean(state),
            "index_bytes": mean(index), "default_bytes": mean(default), "ratio": mean(ours) / mean(default),
            "history_bytes": mean(history)}


def _index_bytes(instance_id) -> int:
    total = 0
    for model in (HumanTask, Timer, EventWait):
        for row in db.session.scalars(select(model).where(model.instance_id == instance_id)):
            total += sum(len(str(getattr(row, c.key) or "")) for c in model.__table__.columns)
    return total


def _history_bytes(instance_id) -> int:
    rows = db.session.scalars(select(InstanceEvent).where(InstanceEvent.instance_id == instance_id))
    return sum(sum(len(str(getattr(r, c.key) or "")) for c in InstanceEvent.__table__.columns) for r in rows)
