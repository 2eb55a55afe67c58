"""The care-provider administrator's statistics export: counts per unit, program and week,
never another provider's units, never a resident."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import engine
from engine.db import db
from tests.conftest import FIXTURES
from tests.web.signin import sign_in_staff
from cli import demo_people


def test_started_and_finished_per_unit_program_and_week(ctx, publish):
    engine.clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))  # Monday, week 10
    org = demo_people.seed()
    db.session.commit()
    version = publish(FIXTURES / "simple")
    started = {}
    for unit, resident in (("nord", "anna"), ("nord", "bo"), ("syd", "fredrik"), ("privat", "david")):
        started[resident] = engine.start(version, engine.SYSTEM, unit_id=org.units[unit].id,
                                         subject_id=org.residents[resident].id).instance_id
    db.session.commit()
    engine.clock.advance(timedelta(days=7))
    first = engine.ready_tasks(started["anna"])[0]  # Anna's program on Nord finishes in week 11
    engine.complete_task(first.id, engine.SYSTEM, {"q1": 3, "q2": 3})
    engine.complete_task(engine.ready_tasks(first.instance_id)[0].id, engine.SYSTEM, {})
    db.session.commit()

    admin = sign_in_staff(ctx.test_client(), org.staff["vardgivaradmin"].hsa_id)
    response = admin.get("/statistik.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    started = {(r["unit_name"], r["iso_week"]): int(r["started"]) for r in rows if int(r["started"])}
    assert started == {("Psykiatrimottagning Nord", "2026-W10"): 2, ("Vårdcentral Syd", "2026-W10"): 1}
    assert sum(int(r["finished"]) for r in rows if r["iso_week"] == "2026-W11") == 1
    text = response.get_data(as_text=True)
    assert "Privat" not in text and "Andersson" not in text


def test_only_care_provider_administrators_get_statistics(ctx):
    engine.clock.freeze(engine.clock.now())
    org = demo_people.seed()
    db.session.commit()
    clinician = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    assert clinician.get("/statistik.csv").status_code == 403


def test_a_program_name_a_spreadsheet_would_run_arrives_as_text(ctx, publish):
    # Given a program whose name (typed by a designer) starts like a formula, when the care
    # provider administrator opens the statistics in a spreadsheet, then it shows as text.
    engine.clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    org = demo_people.seed()
    db.session.commit()
    files = engine.read_paths([FIXTURES / "simple"])
    files["program.json"] = b'{"name": "=HYPERLINK(\\"http://x.example\\", \\"Klicka\\")"}'
    version = publish(files)
    engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id, subject_id=org.residents["anna"].id)
    db.session.commit()
    admin = sign_in_staff(ctx.test_client(), org.staff["vardgivaradmin"].hsa_id)
    rows = list(csv.reader(io.StringIO(admin.get("/statistik.csv").get_data(as_text=True).lstrip("\ufeff"))))
    names = {cell for row in rows[1:] for cell in row if "HYPERLINK" in cell}
    assert names == {"'=HYPERLINK(\"http://x.example\", \"Klicka\")"}
