"""The statistics rows without a request (care.statistics): started and finished programs per
unit, program and Swedish ISO week; never test runs, never another care provider's units."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import engine
from care import statistics
from engine.db import db
from tests.care.people import seeded
from tests.conftest import FIXTURES

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # week 10


def test_rows_count_started_finished_and_completed_per_unit_program_and_week(ctx, publish):
    org = seeded()
    engine.clock.freeze(MONDAY)
    version = publish(FIXTURES / "simple")

    def start(unit, resident, **kwargs):
        return engine.start(version, engine.SYSTEM, unit_id=org.units[unit].id,
                            subject_id=org.residents[resident].id, **kwargs).instance_id
    anna, bo = start("nord", "anna"), start("nord", "bo")
    start("nord", "testa", is_test=True)
    start("syd", "fredrik")
    start("privat", "david")  # another care provider's unit
    # Sunday 23:30 UTC is already Monday in Stockholm: week 11 there.
    engine.clock.freeze(datetime(2026, 3, 8, 23, 30, tzinfo=timezone.utc))
    start("syd", "cecilia")
    db.session.commit()
    engine.clock.freeze(MONDAY + timedelta(days=7, hours=1))
    answer = engine.ready_tasks(anna)[0]  # Anna's program runs to its end in week 11
    engine.complete_task(answer.id, engine.SYSTEM, {"q1": 3, "q2": 3})
    engine.complete_task(engine.ready_tasks(anna)[0].id, engine.SYSTEM, {})
    engine.end(bo, engine.SYSTEM, "resident_request")  # Bo's ends early the same week
    db.session.commit()

    assert statistics.rows(org.providers["region"].id) == [
        ["SE2321000016-1001", "Psykiatrimottagning Nord", "simple", "2026-W10", 2, 0, 0],
        ["SE2321000016-1001", "Psykiatrimottagning Nord", "simple", "2026-W11", 0, 2, 1],
        ["SE2321000016-1002", "Vårdcentral Syd", "simple", "2026-W10", 1, 0, 0],
        ["SE2321000016-1002", "Vårdcentral Syd", "simple", "2026-W11", 1, 0, 0],
    ]
    assert statistics.COLUMNS[-3:] == ["started", "finished", "completed"]


def test_a_provider_without_programs_has_no_rows(ctx):
    org = seeded()
    assert statistics.rows(org.providers["privat"].id) == []


def test_weeks_turn_at_swedish_midnight_and_keep_the_iso_year():
    assert statistics.iso_week(datetime(2026, 3, 8, 22, 59, tzinfo=timezone.utc)) == "2026-W10"
    assert statistics.iso_week(datetime(2026, 3, 8, 23, 0, tzinfo=timezone.utc)) == "2026-W11"
    assert statistics.iso_week(datetime(2027, 1, 1, 12, 0, tzinfo=timezone.utc)) == "2026-W53"
