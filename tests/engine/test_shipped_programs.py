"""Every program shipped in workflows/ validates, and every one of its scenarios runs to the end
on the virtual clock without an incident."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

import engine
from engine.db import db
from tests.conftest import ROOT
from cli import packages
from design import driver

SCENARIOS = sorted((ROOT / "workflows").rglob("scenarios/*.json"))


@pytest.mark.parametrize("path", packages.shipped_packages() + [packages.WORKFLOWS / "benchmark"],
                         ids=lambda p: p.name)
def test_shipped_package_is_valid(path):
    assert packages.problems_in(path) == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_scenario_runs_to_the_end(ctx, scenario):
    version = engine.store_version(packages.load(scenario.parent.parent))
    db.session.commit()
    engine.clock.freeze(datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc))
    run = driver.Scenario(json.loads(scenario.read_text(encoding="utf-8")))
    outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1",
                           data=run.start_data)
    db.session.commit()
    status = driver.run(outcome.instance_id, run)
    instance = engine.instance(outcome.instance_id)
    assert status == "completed", (instance.incident_element, instance.incident_message)


def test_risk_answer_raises_a_clinician_task_and_no_answer_escalates(ctx):
    path = packages.WORKFLOWS / "programs" / "depression_icbt"
    version = engine.store_version(packages.load(path))
    db.session.commit()
    ran = {}
    for name in ("risk_answer", "no_answer_two_weeks", "low_scores"):
        data = json.loads((path / "scenarios" / f"{name}.json").read_text(encoding="utf-8"))
        outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id="u1", subject_id=name, owner_id="c1")
        db.session.commit()
        driver.run(outcome.instance_id, driver.Scenario(data))
        ran[name] = {e.element_id for e in engine.history(outcome.instance_id) if e.kind == "task_ready"}
    assert "assess_risk" in ran["risk_answer"] and "assess_risk" not in ran["low_scores"]
    assert "missing_weekly_followup" in ran["no_answer_two_weeks"]
    assert "missing_weekly_followup" not in ran["low_scores"]


def test_a_risk_answer_gives_the_clinicians_task_high_priority(ctx):
    path = packages.WORKFLOWS / "programs" / "depression_icbt"
    version = engine.store_version(packages.load(path))
    db.session.commit()
    data = json.loads((path / "scenarios" / "risk_answer.json").read_text(encoding="utf-8"))
    outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1")
    db.session.commit()
    driver.run(outcome.instance_id, driver.Scenario(data), stop_after=1)
    (task,) = engine.ready_tasks(outcome.instance_id)
    assert (task.element_id, task.priority) == ("assess_risk", 0)
    driver.run(outcome.instance_id, driver.Scenario(data), stop_after=1)
    assert all(t.priority == 2 for t in engine.ready_tasks(outcome.instance_id))
