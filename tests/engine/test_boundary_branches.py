"""Branches a non-interrupting boundary event spawns live on (BPMN): a reminder a timer put on
someone's list stays open when the task it was attached to is done, and the instance ends only when
every such branch has ended. Every firing of a repeating timer is in the history."""
from __future__ import annotations

from datetime import timedelta

import pytest

import engine
from tests.engine.test_runtime import RESIDENT, T0, complete, fire_all_due, start
from tests.support import bpmn

WEEK = timedelta(weeks=1)


def diary_with_reminder(kind: str = "timeCycle", value: str = "R3/P1W") -> dict:
    """A diary task with a non-interrupting reminder timer; each reminder is a task of its own."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("diary") +
            '<bpmn:boundaryEvent id="remind" attachedToRef="diary" cancelActivity="false">'
            f'<bpmn:timerEventDefinition id="remind_def"><bpmn:{kind}>{value}</bpmn:{kind}>'
            '</bpmn:timerEventDefinition></bpmn:boundaryEvent>' + bpmn.user_task("read_reminder") +
            '<bpmn:endEvent id="end" /><bpmn:endEvent id="reminder_done" />' +
            bpmn.flows(("f1", "start", "diary"), ("f2", "diary", "end"), ("f3", "remind", "read_reminder"),
                       ("f4", "read_reminder", "reminder_done")))
    lane = ["start", "diary", "remind", "read_reminder", "end", "reminder_done"]
    return {"p.bpmn": bpmn.process("diary_p", body, {"Invånare": lane})}


def open_tasks(instance_id, element_id):
    return [t for t in engine.ready_tasks(instance_id) if t.element_id == element_id]


def firings(instance_id):
    return [e.at for e in engine.history(instance_id) if e.kind == "timer_fired" and e.element_id == "remind"]


def at(moment):
    engine.clock.freeze(moment)
    fire_all_due()


def test_every_firing_of_a_cycle_is_one_timer_fired_event_at_its_time(publish):
    engine.clock.freeze(T0)
    instance_id = start(publish(diary_with_reminder())).instance_id
    for week in (1, 2, 3, 4):
        at(T0 + week * WEEK + timedelta(seconds=1))
    assert firings(instance_id) == [T0 + week * WEEK + timedelta(seconds=1) for week in (1, 2, 3)]
    assert len(open_tasks(instance_id, "read_reminder")) == 3


def test_reminders_of_a_cycle_stay_open_when_the_diary_is_sent(publish):
    engine.clock.freeze(T0)
    instance_id = start(publish(diary_with_reminder())).instance_id
    at(T0 + WEEK + timedelta(seconds=1))
    at(T0 + 2 * WEEK + timedelta(seconds=1))
    complete(open_tasks(instance_id, "diary")[0], RESIDENT, {"entry": "sent"})

    reminders = open_tasks(instance_id, "read_reminder")
    assert len(reminders) == 2
    assert engine.instance(instance_id).status == "running"
    at(T0 + 5 * WEEK)  # the diary is done: the timer waits no more
    assert len(firings(instance_id)) == 2 and len(open_tasks(instance_id, "read_reminder")) == 2

    complete(reminders[0], RESIDENT)
    assert engine.instance(instance_id).status == "running"
    complete(reminders[1], RESIDENT)
    assert engine.instance(instance_id).status == "completed"
    assert [e.element_id for e in engine.history(instance_id) if e.kind == "completed"].count("reminder_done") == 2


def test_a_cycle_that_has_fired_all_its_times_spawns_nothing_more(publish):
    engine.clock.freeze(T0)
    instance_id = start(publish(diary_with_reminder())).instance_id
    for week in (1, 2, 3):
        at(T0 + week * WEEK + timedelta(seconds=1))
    complete(open_tasks(instance_id, "diary")[0], RESIDENT)
    assert len(open_tasks(instance_id, "read_reminder")) == 3
    assert len(firings(instance_id)) == 3
    for task in open_tasks(instance_id, "read_reminder"):
        complete(task, RESIDENT)
    assert engine.instance(instance_id).status == "completed"


@pytest.mark.parametrize("kind, value", [("timeDuration", "P3D")])
def test_a_one_off_reminder_stays_open_when_the_task_is_done(publish, kind, value):
    engine.clock.freeze(T0)
    instance_id = start(publish(diary_with_reminder(kind, value))).instance_id
    at(T0 + timedelta(days=3, seconds=1))
    assert len(firings(instance_id)) == 1
    complete(open_tasks(instance_id, "diary")[0], RESIDENT)
    reminder = open_tasks(instance_id, "read_reminder")
    assert len(reminder) == 1 and engine.instance(instance_id).status == "running"
    complete(reminder[0], RESIDENT)
    assert engine.instance(instance_id).status == "completed"


def test_the_diary_sent_before_the_first_reminder_ends_the_program_without_one(publish):
    engine.clock.freeze(T0)
    instance_id = start(publish(diary_with_reminder())).instance_id
    complete(open_tasks(instance_id, "diary")[0], RESIDENT)
    assert engine.instance(instance_id).status == "completed"
    assert firings(instance_id) == []


def test_an_interrupting_cycle_fires_once_and_ends_the_task_like_a_duration(publish):
    # SpiffWorkflow keeps the task open and fires every cycle; BPMN: the first firing interrupts.
    files = diary_with_reminder()
    files["p.bpmn"] = files["p.bpmn"].replace('cancelActivity="false"', 'cancelActivity="true"')
    engine.clock.freeze(T0)
    instance_id = start(publish(files)).instance_id
    for week in (1, 2, 3):
        at(T0 + week * WEEK + timedelta(seconds=1))
    assert [t.element_id for t in engine.ready_tasks(instance_id)] == ["read_reminder"]
    assert firings(instance_id) == [T0 + WEEK + timedelta(seconds=1)]
    complete(open_tasks(instance_id, "read_reminder")[0], RESIDENT)
    assert engine.instance(instance_id).status == "completed"
    assert "end" not in [e.element_id for e in engine.history(instance_id)]


def test_reminders_of_a_cycle_on_a_subprocess_outlive_it(publish):
    inner = ('<bpmn:startEvent id="s_in" />' + bpmn.user_task("diary") + '<bpmn:endEvent id="e_in" />' +
             bpmn.flows(("g1", "s_in", "diary"), ("g2", "diary", "e_in")))
    body = ('<bpmn:startEvent id="start" /><bpmn:subProcess id="sub">' + inner + '</bpmn:subProcess>'
            '<bpmn:boundaryEvent id="remind" attachedToRef="sub" cancelActivity="false">'
            '<bpmn:timerEventDefinition id="remind_def"><bpmn:timeCycle>R3/P1W</bpmn:timeCycle>'
            '</bpmn:timerEventDefinition></bpmn:boundaryEvent>' + bpmn.user_task("read_reminder") +
            '<bpmn:endEvent id="end" /><bpmn:endEvent id="reminder_done" />' +
            bpmn.flows(("f1", "start", "sub"), ("f2", "sub", "end"), ("f3", "remind", "read_reminder"),
                       ("f4", "read_reminder", "reminder_done")))
    lane = ["start", "sub", "remind", "read_reminder", "end", "reminder_done"]
    engine.clock.freeze(T0)
    instance_id = start(publish({"p.bpmn": bpmn.process("sp", body, {"Invånare": lane})})).instance_id
    at(T0 + WEEK + timedelta(seconds=1))
    at(T0 + 2 * WEEK + timedelta(seconds=1))
    complete(open_tasks(instance_id, "diary")[0], RESIDENT)
    assert len(open_tasks(instance_id, "read_reminder")) == 2 and len(firings(instance_id)) == 2
    for task in open_tasks(instance_id, "read_reminder"):
        assert engine.instance(instance_id).status == "running"
        complete(task, RESIDENT)
    assert engine.instance(instance_id).status == "completed"
