"""Reminders when an incident's deadline passes (R58), through the timer actor as the worker runs
it: national management is reminded when triage is overdue, the reporter when the report to
Läkemedelsverket is; each once, with the fixed reminder text; a report already sent is not nagged."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

import engine
from engine.db import db
from incidents import reports
from incidents.config import IncidentConfig
from notify.outbox import TABLE as OUTBOX
from tests.incidents.support import draft, people

START = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)


@pytest.fixture()
def setup(ctx, tmp_path):
    engine.clock.freeze(START)
    found = people()
    db.session.commit()
    return found, IncidentConfig(evidence_dir=tmp_path)


def _fire_due():
    from tasks import actors
    for timer_id in engine.overdue_timer_ids():
        actors.fire_timer(timer_id)


def _reminders():
    return sorted((r["recipient"], r["dedupe_key"].split(":")[2])
                  for r in db.session.execute(select(OUTBOX).where(OUTBOX.c.kind == "reminder")).mappings())


def test_overdue_triage_reminds_national_management_and_an_unsent_agency_report_the_reporter(setup):
    who, config = setup
    reports.report(who.clinician, draft("death", observed_at=START), [], config)
    db.session.commit()
    engine.clock.freeze(START + timedelta(hours=5))  # triage was due after 4 hours
    _fire_due()
    assert _reminders() == [("nina@example.org", "triage")]
    engine.clock.freeze(START + timedelta(days=1, hours=1))  # the agency report was due after a day
    _fire_due()
    assert _reminders() == [("cecilia@example.org", "agency"), ("nina@example.org", "triage")]


def test_an_agency_report_recorded_in_time_is_not_reminded_of(setup):
    who, config = setup
    case = reports.report(who.clinician, draft("serious_deterioration", observed_at=START), [], config)
    reports.advance(who.national, case.id, "triage", {"triage_severity": "serious", "triage_note": "Utreds."})
    reports.record_agency_report_sent(who.clinician, case.id, date(2026, 1, 5))
    db.session.commit()
    engine.clock.freeze(START + timedelta(days=3))
    _fire_due()
    assert _reminders() == []
