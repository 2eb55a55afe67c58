"""Two people completing the same task at the same moment: one wins, one gets a conflict,
and the workflow advances once. Runs on SQLite and on PostgreSQL (FOR UPDATE)."""
from __future__ import annotations

import threading

import engine
from engine.db import db
from tests.conftest import FIXTURES, actor

RESIDENT = actor("r1", "invanare")


def test_concurrent_completion_of_one_task(app, publish):
    version = publish(FIXTURES / "simple")
    outcome = engine.start(version, engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1")
    db.session.commit()
    task_id = engine.ready_tasks(outcome.instance_id)[0].id
    barrier = threading.Barrier(2)
    results = []

    def attempt(score):
        with app.app_context():
            barrier.wait(timeout=10)
            try:
                engine.complete_task(task_id, RESIDENT, {"q1": score, "q2": score})
                db.session.commit()
                results.append("ok")
            except engine.TaskConflict:
                db.session.rollback()
                results.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in (0, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == ["conflict", "ok"]
    db.session.expire_all()
    history = [(e.kind, e.element_id) for e in engine.history(outcome.instance_id)]
    assert history.count(("completed", "answer")) == 1
    assert history.count(("completed", "score")) == 1
