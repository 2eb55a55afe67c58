"""Test runs ("Testa", R21, R22): a designer starts a draft revision for a test resident with the
publisher unit's test clinician, acts as either one in the real screens (access/test_acting.py)
and moves the run's own clock (engine.testclock). Every operation checks the designer first
(design/guard.py); functions flush and the caller commits once.

Test data stays apart: the instance is a test instance (``is_test``: no notifications, no
statistics, no real task list, never in the catalogue), on the publisher unit's test unit, for a
test resident, with a test clinician.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

import engine
from access import directory, security_log
from access.models import PublisherUnit, Resident, Staff
from engine.db import db
from design import coverage, guard, package_check, store
from design.errors import DesignError
from design.models import DesignProgram, DesignRevision, DesignTestRun
from design.simulation import trace_line

# The clock buttons of a test run: "+1 dag", "+1 vecka" (and "till nästa händelse").
STEPS = {"day": timedelta(days=1), "week": timedelta(weeks=1)}


@dataclass(frozen=True)
class RunView:
    """What the run's page shows: the run, its instance, the run's own time and what comes next."""

    run: DesignTestRun
    instance: engine.Instance
    resident: Resident
    clinician: Staff
    now: datetime  # the test run's own time
    next_event_at: datetime | None  # on the test run's clock
    ready: list  # engine.TaskItem: steps waiting for the test resident or clinician
    trace: list  # lines as ``vardflode simulate`` prints them


def test_residents() -> list[Resident]:
    """Everyone a designer may run a test for: test residents only (R81)."""
    return list(db.session.scalars(select(Resident).where(Resident.is_test.is_(True))
                                   .order_by(Resident.family_name, Resident.given_name)))


def start(principal, program_id: str, resident_id: str) -> DesignTestRun:
    """Start the program's head revision for a test resident; refused while it has problems."""
    found = store.program(principal, program_id)
    revision = db.session.get(DesignRevision, found.head_revision_id or "")
    if revision is None:
        raise DesignError("unknown_revision", "the program has no saved revision")
    resident = db.session.get(Resident, resident_id or "")
    if resident is None or not resident.is_test:
        raise DesignError("not_test_resident", "choose one of the test residents")
    version = engine.store_version(_checked(store.files(principal, program_id, revision.id)))
    clinician = test_clinician(db.session.get(PublisherUnit, found.publisher_unit_id))
    outcome = engine.start(version.content_hash, principal.engine_actor(), unit_id=found.publisher_unit_id,
                           subject_id=resident.id, owner_id=clinician.id, is_test=True)
    run = DesignTestRun(program_id=found.id, revision_id=revision.id, instance_id=outcome.instance_id,
                        resident_id=resident.id, clinician_id=clinician.id, started_by=principal.id)
    db.session.add(run)
    db.session.flush()
    coverage.record_test_run(run)
    security_log.event("design_test_run_started", "ok", actor_type="staff", actor_id=principal.id,
                       subject=run.id, detail=f"revision {revision.id[:12]} of design program {found.id}")
    return run


def _checked(files: dict[str, bytes]) -> engine.CheckedPackage:
    try:
        return package_check.load_files(files)
    except engine.ValidationFailed as err:
        raise DesignError("has_problems", f"the revision has {len(err.problems)} problem(s) to fix first") from None


def test_clinician(publisher_unit: PublisherUnit) -> Staff:
    """The publisher unit's test clinician, made the first time a test run needs one. A test member
    of staff: never sees a real resident, can never sign in (no password, no e-ID)."""
    hsa_id = f"{publisher_unit.hsa_id.split('-', 1)[0]}-TESTBEH{publisher_unit.id[:8].upper()}"
    found = db.session.scalar(select(Staff).where(Staff.hsa_id == hsa_id))
    return found or directory.create_staff(hsa_id, "Testbehandlare", publisher_unit.name[:100], is_test=True)


def runs(principal, program_id: str) -> list[DesignTestRun]:
    """The program's test runs, newest first."""
    found = store.program(principal, program_id)
    return list(db.session.scalars(select(DesignTestRun).where(DesignTestRun.program_id == found.id)
                                   .order_by(DesignTestRun.started_at.desc(), DesignTestRun.id)))


def get(principal, run_id: str) -> DesignTestRun:
    run = db.session.get(DesignTestRun, run_id or "")
    if run is None:
        raise DesignError("unknown_test_run", "no such test run")
    guard.require(principal, db.session.get(DesignProgram, run.program_id).publisher_unit_id, "test", run_id)
    return run


def view(principal, run_id: str) -> RunView:
    """The run as it stands; its path coverage is brought up to date with what was done in the
    resident's and clinician's screens since."""
    run = get(principal, run_id)
    coverage.record_test_run(run)
    instance = engine.instance(run.instance_id)
    offset = engine.testclock.offset(run.instance_id)
    due = engine.testclock.next_event_at(run.instance_id)
    return RunView(run=run, instance=instance, resident=db.session.get(Resident, run.resident_id),
                   clinician=db.session.get(Staff, run.clinician_id), now=engine.clock.now() + offset,
                   next_event_at=due + offset if due else None, ready=engine.ready_tasks(run.instance_id),
                   trace=[trace_line(e) for e in engine.history(run.instance_id)])


def move_clock(principal, run_id: str, step: str) -> engine.Outcome | None:
    """"+1 dag", "+1 vecka" or "next" (to the next timer); None when nothing waits on time."""
    run = get(principal, run_id)
    actor = principal.engine_actor()
    if step == "next":
        outcome = engine.testclock.to_next_event(run.instance_id, actor)
    elif step in STEPS:
        outcome = engine.testclock.move(run.instance_id, STEPS[step], actor)
    else:
        raise DesignError("unknown_step", "the test clock moves a day, a week or to the next event")
    coverage.record_test_run(run)
    return outcome
