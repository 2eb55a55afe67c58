"""Benchmark part (3): a clinician's task list at 1,000 and at 100,000 stored instances.

The clinician works on two units with 150 residents each in both cases: a clinician's caseload
does not grow with the platform, the number of other units does. Instances are copies of a real
instance's rows (state and human_task); running 100,000 instances through the engine would
measure the engine again, not the query.
"""
from __future__ import annotations

import statistics
import time
import uuid
from datetime import timedelta

from sqlalchemy import delete, insert, select, text

import engine
from engine.db import db
from engine.models import EventWait, HumanTask, InstanceEvent, ProcessInstance, Timer

CLINICIAN_UNITS = ("unit-7", "unit-42")
CASELOAD = 150  # residents per clinician unit
OTHER_UNITS = 1000
QUERIES = 300


def run(version, quick: bool) -> dict:
    small, large = (1_000, 20_000) if quick else (1_000, 100_000)
    template = db.session.scalars(select(ProcessInstance).limit(1)).one()
    state, created = template.state, engine.clock.now() - timedelta(days=365)
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
    for model in (InstanceEvent, EventWait, Timer, HumanTask, ProcessInstance):
        db.session.execute(delete(model))
    db.session.commit()


def _add_instances(version, state, created, start, stop, chunk=5_000) -> None:
    for first in range(start, stop, chunk):
        instances, tasks = [], []
        for n in range(first, min(stop, first + chunk)):
            instance_id, unit, at = uuid.uuid4().hex, _unit_of(n), created + timedelta(seconds=n)
            instances.append(dict(id=instance_id, version_hash=version.content_hash, process_id=version.main_process,
                                  status="running", state=state, state_format=1, lock_version=1, unit_id=unit,
                                  subject_id=f"resident-{n}", owner_id=f"clinician-{n % 700}", is_test=False,
                                  created_at=at, updated_at=at))
            role = "behandlare" if n % 3 == 0 else "invanare"
            tasks.append(dict(id=str(uuid.uuid4()), instance_id=instance_id, element_id="wf_weekly",
                              name="Veckans skattning", role=role, unit_id=unit,
                              assignee_id=f"clinician-{n % 700}" if role == "behandlare" else f"resident-{n}",
                              form="weekly.form", due_at=at + timedelta(days=14), created_at=at))
        db.session.execute(insert(ProcessInstance), instances)
        db.session.execute(insert(HumanTask), tasks)
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE human_task"))
        db.session.execute(text("ANALYZE process_instance"))
    db.session.commit()


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
