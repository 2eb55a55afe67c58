"""Every staff step is due at a time the program gives: a boundary timer of its own, else the
program's working days (``feedback_working_days`` in program.json, two when it says nothing)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

import engine
from engine import clock, index
from engine.db import db
from tests.engine.test_lifecycle import RESIDENT, T0, care_program, task

MONDAY = T0  # 2026-03-02 08:00 UTC, 09:00 in Stockholm


@pytest.mark.parametrize("ready, days, due", [
    (datetime(2026, 3, 2, 8, 0), 2, datetime(2026, 3, 4, 8, 0)),     # Monday → Wednesday
    (datetime(2026, 3, 6, 14, 30), 2, datetime(2026, 3, 10, 14, 30)),  # Friday → Tuesday, the weekend skipped
    (datetime(2026, 3, 7, 10, 0), 1, datetime(2026, 3, 9, 10, 0)),    # Saturday → Monday
    (datetime(2026, 3, 27, 9, 0), 2, datetime(2026, 3, 31, 8, 0)),    # over the change to summer time: 10:00 local both days
    (datetime(2026, 3, 4, 8, 0), 0, datetime(2026, 3, 4, 8, 0)),
], ids=["mon", "fri", "sat", "dst", "zero"])
def test_working_days_skip_the_weekend_and_keep_the_local_time_of_day(ready, days, due):
    utc = timezone.utc
    assert clock.add_working_days(ready.replace(tzinfo=utc), days) == due.replace(tzinfo=utc)


@pytest.mark.parametrize("meta, days", [({}, 2), ({"feedback_working_days": 5}, 5), ({"feedback_working_days": "3"}, 3),
                                        ({"feedback_working_days": "soon"}, 2), ({"feedback_working_days": -1}, 2),
                                        ({"feedback_working_days": True}, 2), (None, 2)])
def test_the_program_says_how_many_working_days_or_it_is_two(meta, days):
    assert index.working_days(meta) == days


def feedback_due(publish, extra_meta=None):
    files = care_program()
    if extra_meta is not None:
        files["program.json"] = json.dumps({"name": "Vård", "main_process": "care", **extra_meta})
    engine.clock.freeze(MONDAY)
    started = engine.start(publish(files), engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1").instance_id
    db.session.commit()
    homework = task(started, "homework")
    engine.complete_task(homework.id, RESIDENT, {})
    db.session.commit()
    engine.clock.advance(timedelta(days=1, minutes=1))  # Tuesday 08:01: the feedback step is ready
    [engine.fire_timer(t) for t in engine.overdue_timer_ids()]
    db.session.commit()
    return homework, task(started, "feedback")


def test_a_clinicians_step_is_due_in_two_working_days_and_the_residents_by_its_own_timer(publish):
    homework, feedback = feedback_due(publish)
    assert homework.due_at == MONDAY + timedelta(days=3)  # its boundary timer (P3D)
    assert feedback.due_at == datetime(2026, 3, 5, 8, 1, tzinfo=timezone.utc)  # Tuesday → Thursday


def test_a_program_that_gives_its_own_working_days_is_followed(publish):
    _homework, feedback = feedback_due(publish, {"feedback_working_days": 4})
    assert feedback.due_at == datetime(2026, 3, 9, 8, 1, tzinfo=timezone.utc)  # Tuesday → the next Monday


def test_a_residents_step_without_a_timer_of_its_own_has_no_due_time(publish):
    from tests.support import bpmn
    engine.clock.freeze(MONDAY)
    body = '<bpmn:startEvent id="start" />' + bpmn.user_task("read", name="Läs") + '<bpmn:endEvent id="end" />' + \
        bpmn.flows(("f1", "start", "read"), ("f2", "read", "end"))
    version = publish({"r.bpmn": bpmn.process("r", body, {"Invånare": ["start", "read", "end"]})})
    started = engine.start(version, engine.SYSTEM, unit_id="u1", subject_id="r1").instance_id
    db.session.commit()
    [read] = engine.ready_tasks(started)
    assert (read.role, read.due_at) == ("invanare", None)
