"""The incident process (R57–R60) on the real database: a serious or potentially serious report goes
to the manufacturer and to Läkemedelsverket at the same time, with nothing to approve first; a
report without harm goes to the manufacturer only; the reminders come when the deadlines in the
start data (set per consequence) have passed, and do not stop the work they remind of."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

import engine
from engine.db import db
from cli import packages, simulate
from design import driver

PROCESS = packages.WORKFLOWS / "incident_report"
SCENARIOS = sorted((PROCESS / "scenarios").glob("*.json"))
BEGIN = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
SERIOUS = ["death", "serious_deterioration", "could_have_led_to"]


def _start(consequence, triage="P1D", lmv="P2D"):
    version = engine.store_version(packages.load(PROCESS))
    db.session.commit()
    engine.clock.freeze(BEGIN)
    outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id="platform", data={
        "consequence": consequence, "triage_due_after": triage, "lmv_due_after": lmv})
    db.session.commit()
    return outcome.instance_id


def _open(instance_id):
    return {(t.element_id, t.role) for t in engine.ready_tasks(instance_id)}


@pytest.mark.parametrize("consequence", SERIOUS)
def test_a_serious_report_reaches_the_manufacturer_and_the_agency_at_once(ctx, consequence):
    instance_id = _start(consequence)
    assert _open(instance_id) == {("triage", "nationell_forvaltning"), ("record_lmv_sent", "vardgivaradmin")}
    reached = {e.element_id for e in engine.history(instance_id)}
    assert "prepare_lmv_report" in reached  # the document exists before anyone has looked at the case


def test_a_report_without_harm_goes_to_the_manufacturer_only(ctx):
    instance_id = _start("no_harm")
    assert _open(instance_id) == {("triage", "nationell_forvaltning")}
    assert "prepare_lmv_report" not in {e.element_id for e in engine.history(instance_id)}


def test_the_deadlines_come_from_the_start_data(ctx):
    _start("death", triage="PT4H", lmv="P3D")
    assert engine.next_timer_due() == BEGIN + timedelta(hours=4)


def test_the_manufacturer_works_through_to_closure_while_the_reminder_leaves_the_task_open(ctx):
    instance_id = _start("serious_deterioration", triage="P1D")
    driver.move_clock_to(BEGIN + timedelta(days=1, hours=1))
    assert "mark_triage_overdue" in {e.element_id for e in engine.history(instance_id)}
    steps = {"triage": {"triage_severity": "serious", "triage_note": "Utreds."},
             "investigate": {"investigation_findings": "Orsaken hittad."},
             "corrective_action": {"corrective_action": "Rättat."},
             "close_case": {"closing_summary": "Avslutat."}}
    for element, data in steps.items():
        task = next(t for t in engine.ready_tasks(instance_id) if t.element_id == element)
        engine.complete_task(task.id, engine.SYSTEM, data)
        db.session.commit()
    assert _open(instance_id) == {("record_lmv_sent", "vardgivaradmin")}  # the agency's branch is its own
    lmv = engine.ready_tasks(instance_id)[0]
    engine.complete_task(lmv.id, engine.SYSTEM, {"lmv_sent_on": "2026-01-06"})
    db.session.commit()
    assert engine.instance(instance_id).status == "completed"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_simulate_runs_each_scenario_to_its_expected_end(scenario, capsys):
    code = simulate.main(str(PROCESS), str(scenario))
    out = capsys.readouterr().out
    assert code == 0, out[-2000:]
    assert out.rstrip().endswith("END STATE: completed\nEXPECTATIONS MET")


def test_the_scenarios_cover_every_consequence():
    started = {json.loads(s.read_text(encoding="utf-8"))["_start"]["consequence"] for s in SCENARIOS}
    assert started == set(SERIOUS) | {"no_harm"}


def test_a_scenario_whose_start_data_is_not_allowed_stops_with_a_clear_message(tmp_path, capsys):
    scenario = tmp_path / "bad.json"
    scenario.write_text(json.dumps({"_start": {"not a name": 1}}))
    assert simulate.main(str(PROCESS), str(scenario)) == 2
    assert "'_start'" in capsys.readouterr().err
