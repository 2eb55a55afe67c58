"""Benchmark part (8): purging 10,000 ended programs (1,000 with ``--quick``) of one care
provider, in batches, while a clinician of the same provider reads the task list (docs/PURGING.md).

The ended programs are copies of a real instance's state on the provider's two units; 300 running
instances with open steps are the clinician's live caseload on the same units. The purge runs in
a worker process of its own (as the purge actor does; a thread would share the interpreter's lock
with the measuring one), batch by batch, one commit each. Meanwhile this process times the
clinician's task list over and over. Reported: programs purged per second, the longest batch
(the longest any purged row stays locked; live instances are never locked), and the task list's
median during the purge ÷ without it.
"""
from __future__ import annotations

import multiprocessing
import statistics
import time
from datetime import timedelta

import engine
from access import directory
from engine import benchmark
from engine.db import db
from purging import process, purge, rules
from cli import bench_tasklist

CASELOAD = 300
WARM = 20
PHASE_SECONDS = 0.4


def run(app_config: dict, version, quick: bool, count: int | None = None, batch_size: int = purge.BATCH) -> dict:
    count = count or (1_000 if quick else 10_000)
    provider, units = _organisation()
    clinician = engine.Actor("bench-clinician", frozenset(("behandlare", u) for u in units))
    _seed(version, units, count)
    _task_list_times(clinician, units, WARM)
    context = multiprocessing.get_context("spawn")
    results, go, idle = context.Queue(), context.Event(), context.Event()
    worker = context.Process(target=_purge_in_worker, args=(app_config, provider, batch_size, results, go, idle),
                             daemon=True)
    db.session.remove()
    worker.start()
    quiet, busy = _alternate(clinician, units, worker, results, go, idle)
    try:
        outcome = results.get(timeout=600 if worker.is_alive() else 10)
    except Exception:  # queue.Empty: the worker died before it could say why
        outcome = {"error": f"the purge worker ended with exit code {worker.exitcode} and no result"}
    worker.join(timeout=60)
    if "error" in outcome:
        raise RuntimeError(f"the purge worker failed: {outcome['error']}")
    quiet_ms = statistics.median(quiet)
    busy_ms = statistics.median(busy) if busy else quiet_ms
    return {"programs": count, "purged": outcome["programs"], "batches": outcome["batches"],
            "batch_size": outcome["batch_size"], "seconds": outcome["seconds"],
            "per_second": outcome["programs"] / outcome["seconds"] if outcome["seconds"] else 0.0,
            "longest_batch_ms": outcome["longest_batch_ms"], "task_list_ms": quiet_ms, "task_list_during_ms": busy_ms,
            "task_list_queries_during": len(busy), "task_list_queries_without": len(quiet),
            "ratio": busy_ms / quiet_ms, "second_run_purged": outcome["again"]}


def _alternate(clinician, units, worker, results, go, idle) -> tuple[list[float], list[float]]:
    """Time the task list in turns: while the purge runs, then while it is held between two
    batches. Whatever else the machine is doing falls on both sides alike."""
    quiet, busy = [], []
    while worker.is_alive() and results.empty() and not idle.wait(0.05):
        pass  # the worker process starts (an interpreter, the app) before the first turn
    while worker.is_alive() and results.empty():
        quiet += _task_list_for(clinician, units, PHASE_SECONDS)
        idle.clear()
        go.set()
        busy += _task_list_for(clinician, units, PHASE_SECONDS)
        go.clear()
        while worker.is_alive() and results.empty() and not idle.wait(0.05):
            pass  # the batch in hand finishes first; its tail is timed on neither side
    go.set()
    return quiet, busy


def _task_list_for(clinician, units, seconds: float) -> list[float]:
    timings, until = [], time.perf_counter() + seconds
    while time.perf_counter() < until:
        timings += _task_list_times(clinician, units, 5)
    return timings


def _organisation() -> tuple[str, list[str]]:
    provider = directory.create_care_provider("SE2321000099-0001", "Benchmark Region")
    units = [directory.create_unit(provider, f"SE2321000099-100{n}", f"Benchmark unit {n}").id for n in (1, 2)]
    # The benchmark program's kind is a treatment: purge it 30 days after the end without waiting
    # for confirmations, so every copy is due.
    rules.save(provider.id, "treatment", False, 30, "bench")
    db.session.commit()
    return provider.id, units


def _seed(version, units: list[str], count: int) -> None:
    state = benchmark.sample_state()
    created = engine.clock.now() - timedelta(days=365)
    bench_tasklist.add_copies(version, state, 0, CASELOAD,
                              lambda n: bench_tasklist.task_copy(n, created + timedelta(seconds=n), units[n % 2]),
                              element_id="wf_weekly", name="Veckans skattning", form="weekly.form")
    ended_at = engine.clock.now() - timedelta(days=100)
    for first in range(0, count, 5_000):
        benchmark.add_ended_copies(version, state, [(units[n % 2], f"bench-ended-{n}", ended_at + timedelta(seconds=n))
                                                    for n in range(first, min(count, first + 5_000))])
        db.session.commit()
    benchmark.analyze()
    db.session.commit()


def _task_list_times(clinician, units, queries: int) -> list[float]:
    timings = []
    for _ in range(queries):
        started = time.perf_counter()
        engine.worklist(clinician, "behandlare", units)
        timings.append((time.perf_counter() - started) * 1000)
    db.session.rollback()
    return timings


def _purge_in_worker(app_config: dict, provider_id: str, batch_size: int, results, go, idle) -> None:
    """The purge actor's work in a process of its own: one run, a commit and a rest per batch (as
    the actor sends the next batch later), held between batches while ``go`` is clear."""
    try:
        from web import create_app
        app = create_app(**app_config)
        with app.app_context():
            batches, held, last = [], [0.0], [time.perf_counter()]

            def commit():
                db.session.commit()
                worked = time.perf_counter() - last[0]
                batches.append(worked * 1000)
                time.sleep(purge.rest_after(worked))
                if not go.is_set():
                    idle.set()
                    waited = time.perf_counter()
                    go.wait()
                    idle.clear()
                    held[0] += time.perf_counter() - waited
                last[0] = time.perf_counter()
            idle.set()  # ready, held until the measuring side says go
            go.wait()
            idle.clear()
            started = time.perf_counter()
            run = process.run_now(provider_id, batch_size=batch_size, commit=commit)
            commit()
            seconds = time.perf_counter() - started - held[0]
            go.set()
            again = process.run_now(provider_id, batch_size=batch_size, commit=db.session.commit)
            db.session.commit()
            results.put({"programs": run.counts.get("programs", 0), "batches": run.batches,
                         "batch_size": batch_size, "seconds": seconds, "longest_batch_ms": max(batches),
                         "again": again.counts.get("programs", 0)})
    except Exception as err:  # the measuring process reports it
        results.put({"error": repr(err)[:500]})
