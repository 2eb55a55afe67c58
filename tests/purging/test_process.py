"""The purge as the shipped process: planned per care provider on its timer, the night's run in
batches through the actors, the report, the process told, the next night planned."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import engine
from engine.db import db
from engine.models import Timer
from cli import simulate
from purging import process
from purging.models import PurgeRun
from tasks import actors
from tests.purging.support import NOW, ended, organisation, running, version_of_kind


def test_each_active_provider_gets_one_run_planned_for_the_night(ctx):
    org = organisation()
    actors.plan_purges()
    db.session.commit()
    runs = db.session.scalars(select(PurgeRun)).all()
    assert {r.care_provider_id for r in runs} == {p.id for p in org.providers.values()}
    for run in runs:
        assert run.state == "planned" and run.due_at == process.next_run_at(NOW)
        assert run.due_at.hour == 2 and run.due_at > NOW
        assert engine.instance(run.instance_id).status == "running"
        assert db.session.scalar(select(Timer.due_at).where(Timer.instance_id == run.instance_id)) == run.due_at
    assert actors.plan_purges() == 0  # a second look plans nothing more


def test_the_nights_run_purges_in_batches_reports_and_plans_the_next(ctx, publish):
    org = organisation()
    education = version_of_kind(publish, "education")
    old = [ended(education, org, "syd", "fredrik", 120 + n) for n in range(3)]
    live = running(education, org, "syd", "fredrik")
    region = org.providers["region"].id
    actors.plan_purges()
    db.session.commit()
    run = process.open_run(region)

    engine.clock.freeze(run.due_at + timedelta(seconds=1))
    timer_id = db.session.scalar(select(Timer.id).where(Timer.instance_id == run.instance_id))
    actors.fire_timer.fn(timer_id)  # the timer actor: the run lists what will go
    db.session.expire_all()
    assert db.session.get(PurgeRun, run.id).state == "purging" and db.session.get(PurgeRun, run.id).planned == 3
    for _ in range(10):
        actors.purge_batch.fn(run.id)
        db.session.expire_all()
        if db.session.get(PurgeRun, run.id).state == "done":
            break
    done = db.session.get(PurgeRun, run.id)
    assert done.state == "done" and done.counts["programs"] == 3
    assert all(engine.instance(i).purged_at is not None for i in old)
    assert engine.instance(live).purged_at is None and engine.instance(live).status == "running"
    finished = engine.instance(run.instance_id)
    assert finished.status == "completed"
    assert [e.element_id for e in engine.history(run.instance_id) if e.kind == "completed"][-1] == "end_reported"
    following = process.open_run(region)
    assert following is not None and following.id != run.id and following.due_at > done.finished_at
    actors.purge_batch.fn(run.id)  # a redelivered batch of a finished run does nothing
    assert db.session.get(PurgeRun, run.id).counts == done.counts


PROCESS = process.PROCESS
SCENARIOS = sorted((PROCESS / "scenarios").glob("*.json"))


def test_the_shipped_process_has_scenarios():
    assert SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_simulate_runs_each_scenario_to_its_expected_end(scenario, capsys):
    code = simulate.main(str(PROCESS), str(scenario))
    out = capsys.readouterr().out
    assert code == 0, out
    assert "EXPECTATIONS MET" in out
