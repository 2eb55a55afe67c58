"""Benchmark part (7): moving running instances onto a new version of their program (issue 12).

1,000 instances of ``workflows/benchmark`` (200 with ``--quick``) are started and driven through the
engine to the weekly questionnaire – an open task with a 14-day boundary timer, what a unit's move
meets most – then a second version of the same program (the weekly step renamed, so another
content hash; the flow the same) is stored, and every instance is moved to it one by one, each in
its own transaction (lock, load, diff, re-point, index rows, history, commit), as
``catalogue.moves.move_unit`` does. Reported: the median and mean per instance, the whole run, and
the median against one task completion through the facade (part (1)).
"""
from __future__ import annotations

import statistics
import time

import engine
from engine.db import db
from cli import packages
from cli.bench_engine import answers

UNIT = "bench-move-unit"
MOVER = engine.Actor("bench-admin", frozenset({("vardgivaradmin", UNIT)}))


def run(version, completion_ms: float, quick: bool, count: int | None = None) -> dict:
    count = count or (200 if quick else 1000)
    instance_ids = _seed(version, count)
    target = _renamed_version()
    times, refused = [], {}
    started = time.perf_counter()
    for instance_id in instance_ids:
        begun = time.perf_counter()
        try:
            engine.move_instance(instance_id, target, MOVER)
            db.session.commit()
        except engine.EngineError as err:
            db.session.rollback()
            refused[str(err)[:200]] = refused.get(str(err)[:200], 0) + 1  # should stay empty: say why if not
        times.append(time.perf_counter() - begun)
    total = time.perf_counter() - started
    median_ms = statistics.median(times) * 1000
    return {"instances": count, "refused": sum(refused.values()), "refusals": refused, "median_ms": median_ms,
            "mean_ms": statistics.fmean(times) * 1000, "total_s": total,
            "completion_ms": completion_ms, "ratio": median_ms / completion_ms, "target": target,
            "moved_ids": instance_ids}


def _seed(version, count: int) -> list[str]:
    """Started and past the intake through the engine, so each has its own real state and rows."""
    ids = []
    for n in range(count):
        outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id=UNIT,
                               subject_id=f"bench-mover-{n}", owner_id="bench-clinician")
        engine.complete_task(outcome.ready_task_ids[0], engine.SYSTEM, answers(0))
        if n % 100 == 99:
            db.session.commit()
        ids.append(outcome.instance_id)
    db.session.commit()
    return ids


def _renamed_version() -> str:
    files = engine.read_paths([packages.WORKFLOWS / "benchmark"])
    path = next(p for p in files if p.endswith(".bpmn"))
    files[path] = files[path].replace(b'name="Veckans skattning"', b'name="Veckans skattning (ny version)"')
    import forms
    version = engine.store_version(engine.check_package(files, builtin_forms=forms.builtin_form_names()))
    db.session.commit()
    return version.content_hash
