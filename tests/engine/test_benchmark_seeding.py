"""The benchmark's seeding and measuring (engine.benchmark): copies of real instances that the
task list, the timer sweep and the storage count treat like any other instance."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import engine
from engine import benchmark
from engine.db import db
from tests.conftest import FIXTURES, actor

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
CLINICIAN = actor("c1", "behandlare", "u7")


@pytest.fixture()
def version(publish):
    engine.clock.freeze(T0)
    return engine.version(publish(FIXTURES / "simple"))


def waiting_instance(version) -> str:
    outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id="bench", subject_id="r1")
    [task] = engine.ready_tasks(outcome.instance_id)
    engine.complete_task(task.id, engine.SYSTEM, {"q1": 0, "q2": 0})
    db.session.commit()
    return outcome.instance_id


def test_task_copies_are_on_the_worklist_and_clear_removes_them(version):
    # Given copies of a stored instance's state, two with a clinician's open step on u7
    waiting_instance(version)
    state = benchmark.sample_state()
    copies = [benchmark.TaskCopy("u7", f"r{n}", "c1", "behandlare", "c1", T0 + timedelta(seconds=n),
                                 T0 + timedelta(days=14)) for n in range(2)]
    copies.append(benchmark.TaskCopy("u8", "r9", "c2", "invanare", "r9", T0, T0))
    benchmark.add_task_copies(version, state, copies, element_id="wf_weekly", name="Veckans skattning",
                              form="weekly.form")
    benchmark.analyze()
    db.session.commit()
    # Then the clinician's list shows them, oldest first, and the counts include them
    page = engine.worklist(CLINICIAN, "behandlare", ["u7"])
    assert [(t.element_id, t.created_at) for t in page] == [("wf_weekly", T0),
                                                             ("wf_weekly", T0 + timedelta(seconds=1))]
    assert engine.counts().instances == 4
    # When the benchmark clears its database, nothing is left
    benchmark.clear()
    db.session.commit()
    assert engine.counts() == engine.Counts(versions=1, instances=0, tasks=0, timers=0)


def test_waiting_copies_fire_like_the_instance_they_copy(version):
    # Given a waiting instance and two copies of it
    original = waiting_instance(version)
    copies = benchmark.copy_waiting(original, 2)
    db.session.commit()
    assert engine.counts().timers == 3 and benchmark.timer_due(original) == T0 + timedelta(days=7)
    # When the week has passed and the due timers fire
    engine.clock.advance(timedelta(days=7, seconds=1))
    for timer_id in engine.overdue_timer_ids():
        engine.fire_timer(timer_id)
        db.session.commit()
    # Then every firing is on record, with when
    fired = dict(benchmark.timer_firings([original, *copies]))
    assert set(fired) == {original, *copies} and set(fired.values()) == {T0 + timedelta(days=7, seconds=1)}
    assert all(engine.instance(i).status == "completed" for i in fired)


def test_storage_counts_every_row_an_instance_owns(version):
    waiting_instance(version)
    sizes = benchmark.storage(version)
    assert sizes["instances"] == 1 and 0 < sizes["state_bytes"] < sizes["ours_bytes"]
    assert 0 < sizes["ratio"] < 1 and sizes["history_bytes"] > 0
