"""A test run's own clock: moving it fires that test instance's timers and nothing else's."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

import engine
from engine.db import db
from engine.models import HumanTask, Timer
from tests.conftest import actor
from tests.support import bpmn

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
NOW = T0 + timedelta(minutes=1)
DESIGNER = actor("d1", "designer")


def week_then_feedback() -> dict:
    """Homework → seven days → feedback by the clinician (two working days) → end."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("homework", name="Hemuppgift") +
            bpmn.timer_event("week", "timeDuration", "P7D") + bpmn.user_task("feedback", name="Återkoppling") +
            '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "homework"), ("f2", "homework", "week"), ("f3", "week", "feedback"),
                       ("f4", "feedback", "end")))
    lanes = {"Invånare": ["start", "homework", "week"], "Behandlare": ["feedback", "end"]}
    return {"p.bpmn": bpmn.process("care", body, lanes)}


@pytest.fixture()
def two_waiting(publish):
    """A real instance and a test instance of the same program, both waiting on their week."""
    engine.clock.freeze(T0)
    version = publish(week_then_feedback())
    ids = {}
    for kind, is_test in (("real", False), ("test", True)):
        started = engine.start(version, engine.SYSTEM, unit_id="u1", subject_id=f"r-{kind}", owner_id="c1",
                               is_test=is_test)
        [task_id] = started.ready_task_ids
        engine.complete_task(task_id, engine.SYSTEM, {})
        ids[kind] = started.instance_id
    db.session.commit()
    engine.clock.freeze(NOW)  # the designer looks at the run a minute later
    return ids


def waiting_on(instance_id):
    return [t.element_id for t in engine.ready_tasks(instance_id)]


def test_a_week_on_the_test_clock_fires_the_test_runs_timer_and_not_the_real_ones(two_waiting):
    engine.testclock.move(two_waiting["test"], timedelta(days=6), DESIGNER)
    db.session.commit()
    assert waiting_on(two_waiting["test"]) == []  # six days: the week has not passed
    engine.testclock.move(two_waiting["test"], timedelta(days=1), DESIGNER)
    db.session.commit()
    assert waiting_on(two_waiting["test"]) == ["feedback"]
    assert waiting_on(two_waiting["real"]) == []
    assert engine.clock.now() == NOW  # the platform's clock never moved
    real_timer = db.session.scalar(select(Timer).where(Timer.instance_id == two_waiting["real"]))
    assert real_timer.due_at == T0 + timedelta(days=7)


def test_the_test_runs_history_is_in_its_own_time_and_says_the_clock_moved(two_waiting):
    engine.testclock.move(two_waiting["test"], timedelta(days=7), DESIGNER)
    db.session.commit()
    events = engine.history(two_waiting["test"])
    moved = [e for e in events if e.kind == "clock_moved"]
    fired = [e for e in events if e.kind == "timer_fired"]
    assert [e.detail for e in moved] == ["P7D"]
    assert fired and fired[0].at == NOW + timedelta(days=7)


def test_the_test_runs_rows_stay_in_platform_time_so_lists_and_the_scheduler_agree(two_waiting):
    engine.testclock.move(two_waiting["test"], timedelta(days=7), DESIGNER)
    db.session.commit()
    feedback = db.session.scalar(select(HumanTask).where(HumanTask.instance_id == two_waiting["test"]))
    # Ready at the test run's day 7, due two working days later; on the platform's clock: from now.
    assert feedback.created_at == NOW
    assert feedback.due_at == engine.clock.add_working_days(NOW + timedelta(days=7), 2) - timedelta(days=7)
    engine.testclock.move(two_waiting["test"], timedelta(days=1), DESIGNER)
    db.session.commit()
    db.session.expire_all()
    moved = db.session.scalar(select(HumanTask).where(HumanTask.instance_id == two_waiting["test"]))
    assert moved.due_at == engine.clock.add_working_days(NOW + timedelta(days=7), 2) - timedelta(days=8)
    assert moved.created_at == NOW - timedelta(days=1)


def test_to_the_next_event_fires_exactly_the_next_timer(two_waiting):
    assert engine.testclock.next_event_at(two_waiting["test"]) == T0 + timedelta(days=7)
    engine.testclock.to_next_event(two_waiting["test"], DESIGNER)
    db.session.commit()
    assert waiting_on(two_waiting["test"]) == ["feedback"]
    assert engine.testclock.to_next_event(two_waiting["test"], DESIGNER) is None  # nothing waits on time
    db.session.rollback()


def test_a_real_instances_clock_cannot_be_moved(two_waiting):
    with pytest.raises(engine.Forbidden):
        engine.testclock.move(two_waiting["real"], timedelta(days=7), DESIGNER)
    db.session.rollback()
    with pytest.raises(engine.InvalidTaskData):
        engine.testclock.move(two_waiting["test"], timedelta(days=-1), DESIGNER)
    db.session.rollback()
    assert waiting_on(two_waiting["real"]) == []


def test_the_scheduler_fires_a_moved_test_runs_timer_when_its_own_clock_reaches_it(two_waiting):
    """Moved five days, the test run's week ends two platform days from now: the platform's
    sweep fires it then, as it fires any timer, and the real one still waits."""
    engine.testclock.move(two_waiting["test"], timedelta(days=5), DESIGNER)
    db.session.commit()
    engine.clock.freeze(NOW + timedelta(days=2))
    due = engine.overdue_timer_ids()
    assert len(due) == 1
    for timer_id in due:
        engine.fire_timer(timer_id)
    db.session.commit()
    assert waiting_on(two_waiting["test"]) == ["feedback"]
    assert waiting_on(two_waiting["real"]) == []
