"""Benchmark part (3): a clinician's task list at 1,000 and at 100,000 stored instances.

The clinician works on two units with 150 residents each in both cases: a clinician's caseload
does not grow with the platform, the number of other units does. Instances are copies of a real
instance's rows (state and human_task); running 100,000 instances through the engine would
measure the engine again, not the query.
"""
from __future__ import annotations

import statistics
import time
from datetime import timedelta

import engine
from engine import benchmark
from engine.db import db

CLINICIAN_UNITS = ("unit-7", "unit-42")
CASELOAD = 150  # residents per clinician unit
OTHER_UNITS = 1000
QUERIES = 300


def run(version, quick: bool) -> dict:
    small, large = (1_000, 20_000) if quick else (1_000, 100_000)
    state, created = benchmark.sample_state(), engine.clock.now() - timedelta(days=365)
    _clear()
    _add_instances(version, state, created, 0, small)
    small_ms = _measure()
    _add_instances(version, state, created, small, large)
    large_ms = _measure()
    _clear()
    return {"small_n": small, "large_n": large, "small_ms": small_ms, "large_ms": large_ms,
            "ratio": large_ms / small_ms, "clinician_units": len(CLINICIAN_UNITS),
            "caseload_per_unit": CASELOAD, "other_units": OTHER_UNITS, "queries": QUERIES}


def _unit_of(n: int) -> str:
    if n < CASELOAD * len(CLINICIAN_UNITS):
        return CLINICIAN_UNITS[n % len(CLINICIAN_UNITS)]
    return f"other-unit-{n % OTHER_UNITS}"


def _clear() -> None:
    benchmark.clear()
    db.session.commit()


def _add_instances(version, state, created, start, stop) -> None:
    add_copies(version, state, start, stop, lambda n: task_copy(n, created + timedelta(seconds=n), _unit_of(n)),
               element_id="wf_weekly", name="Veckans skattning", form="weekly.form")


def add_copies(version, state, start: int, stop: int, copy_of, *, element_id: str, name: str, form: str,
               chunk: int = 5_000) -> None:
    """Instances ``start``..``stop`` (``copy_of(n)`` says where each is), committed in chunks."""
    for first in range(start, stop, chunk):
        benchmark.add_task_copies(version, state, [copy_of(n) for n in range(first, min(stop, first + chunk))],
                                  element_id=element_id, name=name, form=form)
        db.session.commit()
    benchmark.analyze()
    db.session.commit()


def task_copy(n: int, at, unit_id: str) -> benchmark.TaskCopy:
    """Resident n on ``unit_id``; every third open step is the clinician's, the rest the resident's."""
    role, owner = ("behandlare" if n % 3 == 0 else "invanare"), f"clinician-{n % 700}"
    return benchmark.TaskCopy(unit_id=unit_id, subject_id=f"resident-{n}", owner_id=owner, role=role,
                              assignee_id=owner if role == "behandlare" else f"resident-{n}",
                              created_at=at, due_at=at + timedelta(days=14))


def _measure() -> float:
    """Median milliseconds of a clinician's first page, for a clinician on two units."""
    clinician = engine.Actor("bench-clinician", frozenset(("behandlare", u) for u in CLINICIAN_UNITS))
    for _ in range(20):
        engine.worklist(clinician, "behandlare", list(CLINICIAN_UNITS))
    timings = []
    for _ in range(QUERIES):
        started = time.perf_counter()
        page = engine.worklist(clinician, "behandlare", list(CLINICIAN_UNITS))
        timings.append(time.perf_counter() - started)
        assert len(page) == 50, "the benchmark clinician has a full first page"
    db.session.rollback()
    return statistics.median(timings) * 1000
