"""National management's overview on the real database: overdue cases first, the next deadline of
each (triage, or the report to Läkemedelsverket), counts per month and product, and CSV rows that
leave out what happened. Only national management gets it."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

import engine
from engine.db import db
from incidents import dashboard, reports
from incidents.config import IncidentConfig
from incidents.errors import IncidentForbidden
from tests.incidents.support import draft, people

START = datetime(2026, 1, 30, 8, 0, tzinfo=timezone.utc)


@pytest.fixture()
def setup(ctx, tmp_path):
    engine.clock.freeze(START)
    found = people()
    db.session.commit()
    return found, IncidentConfig(evidence_dir=tmp_path)


def test_overdue_first_with_the_next_deadline_and_counts_per_month_and_product(setup):
    who, config = setup
    minor = reports.report(who.clinician, draft("no_harm", observed_at=START), [], config)  # triage in 5 days
    death = reports.report(who.clinician, draft("death", observed_at=START), [], config)  # triage in 4 hours
    engine.clock.freeze(START + timedelta(days=3))  # into February
    later = reports.report(who.designer, draft("could_have_led_to", product="designverktyget",
                                               observed_at=START + timedelta(days=3)), [], config)
    reports.record_agency_report_sent(who.clinician, death.id, date(2026, 1, 31))
    view = dashboard.overview(who.national)
    assert [(r.incident.id, r.deadline_kind, r.overdue) for r in view.rows] == [
        (death.id, "triage", True), (later.id, "triage", False), (minor.id, "triage", False)]
    assert view.rows[1].deadline == START + timedelta(days=4)  # P1D triage for "could have led to"
    assert view.per_month == [("2026-02", "designverktyget", 1), ("2026-01", "stod_och_behandling", 2)]
    rows = dashboard.csv_rows(view)
    assert rows[0][0] == death.id[:12].upper() and rows[0][7] == "yes" and rows[0][8] == "2026-01-31"
    assert all(draft().what_happened not in map(str, row) for row in rows)


def test_when_triage_is_done_the_agency_report_is_the_next_deadline(setup):
    who, config = setup
    case = reports.report(who.clinician, draft("serious_deterioration", observed_at=START), [], config)
    reports.advance(who.national, case.id, "triage", {"triage_severity": "serious", "triage_note": "Utreds."})
    [row] = dashboard.overview(who.national).rows
    assert (row.deadline_kind, row.deadline) == ("agency", START + timedelta(days=1))


def test_only_national_management_sees_the_overview(setup):
    who, _ = setup
    for outsider in (who.clinician, who.admin, who.designer):
        with pytest.raises(IncidentForbidden):
            dashboard.overview(outsider)
