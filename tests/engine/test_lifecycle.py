"""Pausing into a maintenance phase, resuming, ending early, handing over to another unit and
changing the responsible clinician, through the facade on the real database."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

import engine
from engine.db import db
from engine.models import EventWait, HumanTask, Timer
from tests.conftest import actor
from tests.support import bpmn

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
RESIDENT = engine.Actor("r1", frozenset({("invanare", None)}))  # as a signed-in resident
CLINICIAN = actor("c1", "behandlare")  # the responsible clinician on u1
COLLEAGUE = actor("c2", "behandlare")  # another clinician on u1
ADMIN = actor("a1", "invanaradmin")
ELSEWHERE = actor("c9", "behandlare", "u2")


def care_program() -> dict:
    """Homework (resident) → a day's wait → feedback (clinician). Homework not done in three
    days goes to the resident administrator; a ``withdrawn`` message ends it."""
    extra = '<bpmn:message id="msg_withdrawn" name="vardflode.action.withdrawn" />'
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("homework", name="Hemuppgift") +
            '<bpmn:boundaryEvent id="too_late" attachedToRef="homework"><bpmn:timerEventDefinition id="too_late_def">'
            '<bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>'
            '<bpmn:boundaryEvent id="withdraw" attachedToRef="homework"><bpmn:messageEventDefinition id="wd" '
            'messageRef="msg_withdrawn" /></bpmn:boundaryEvent>' +
            bpmn.timer_event("wait", "timeDuration", "P1D") + bpmn.user_task("feedback", name="Återkoppling") +
            bpmn.user_task("chase", name="Påminn") +
            '<bpmn:endEvent id="end" /><bpmn:endEvent id="end_late" /><bpmn:endEvent id="end_withdrawn" />' +
            bpmn.flows(("f1", "start", "homework"), ("f2", "homework", "wait"), ("f3", "wait", "feedback"),
                       ("f4", "feedback", "end"), ("f5", "too_late", "chase"), ("f6", "chase", "end_late"),
                       ("f7", "withdraw", "end_withdrawn")))
    lanes = {"Invånare": ["start", "homework", "too_late", "withdraw", "wait", "end_withdrawn"],
             "Behandlare": ["feedback", "end"], "Invånaradministratör": ["chase", "end_late"]}
    return {"p.bpmn": bpmn.process("care", body, lanes, extra)}


@pytest.fixture()
def started(publish):
    engine.clock.freeze(T0)
    outcome = engine.start(publish(care_program()), engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1")
    db.session.commit()
    return outcome.instance_id


def commit(result=None):
    db.session.commit()
    return result


def task(instance_id, element_id):
    found = [t for t in engine.ready_tasks(instance_id) if t.element_id == element_id]
    assert len(found) == 1, engine.ready_tasks(instance_id)
    return found[0]


def rows_of(model, instance_id):
    return db.session.scalars(select(model).where(model.instance_id == instance_id)).all()


def history(instance_id):
    return [(e.kind, e.actor_id, e.detail) for e in engine.history(instance_id)]


def do_homework(instance_id):
    commit(engine.complete_task(task(instance_id, "homework").id, RESIDENT, {}))


def test_a_paused_program_fires_no_timer_until_it_is_resumed(started):
    do_homework(started)
    assert [t.due_at for t in rows_of(Timer, started)] == [T0 + timedelta(days=1)]
    commit(engine.pause(started, CLINICIAN))
    assert engine.instance(started).status == "paused"
    engine.clock.advance(timedelta(days=2))

    # Nothing for the scheduler to claim, so nothing is sent again and again while paused.
    assert commit(engine.claim_due_timers(timedelta(0), timedelta(seconds=15))) == []
    assert engine.overdue_timer_ids() == []
    assert engine.ready_tasks(started) == []

    outcome = commit(engine.resume(started, CLINICIAN))
    assert outcome.status == "running"
    assert [t.element_id for t in engine.ready_tasks(started)] == ["feedback"]  # fired in the resume itself
    assert rows_of(Timer, started) == []
    assert [k for k, _, _ in history(started)][-4:] == ["paused", "resumed", "timer_fired", "task_ready"]


def test_resuming_puts_back_the_timers_that_are_not_due_yet(started):
    commit(engine.pause(started, COLLEAGUE))
    assert rows_of(Timer, started) == []
    engine.clock.advance(timedelta(hours=5))
    commit(engine.resume(started, COLLEAGUE))
    assert [t.due_at for t in rows_of(Timer, started)] == [T0 + timedelta(days=3)]
    assert [t.element_id for t in engine.ready_tasks(started)] == ["homework"]


def test_the_resident_cannot_do_their_step_while_the_program_is_paused(started):
    homework = task(started, "homework")
    assert [t.id for t in engine.tasks_for_resident("r1")] == [homework.id]
    commit(engine.pause(started, CLINICIAN))

    assert engine.tasks_for_resident("r1") == []
    assert engine.task_details(homework.id).instance_status == "paused"
    with pytest.raises(engine.TaskConflict, match="paused"):
        engine.complete_task(homework.id, RESIDENT, {})
    db.session.rollback()
    # The clinician still sees the step on the unit's list; it is just not due.
    assert [t.id for t in engine.worklist(RESIDENT, "invanare", ["u1"])] == [homework.id]

    commit(engine.resume(started, CLINICIAN))
    assert [t.id for t in engine.tasks_for_resident("r1")] == [homework.id]
    do_homework(started)
    assert engine.tasks_for_resident("r1") == []


def test_ending_a_program_removes_every_open_step_timer_and_wait(started):
    assert rows_of(HumanTask, started) and rows_of(Timer, started) and rows_of(EventWait, started)
    with pytest.raises(engine.InvalidTaskData):
        engine.end(started, CLINICIAN, "felt like it")
    commit(engine.end(started, CLINICIAN, "resident_request"))

    instance = engine.instance(started)
    assert (instance.status, instance.ended_at) == ("ended", T0)
    assert rows_of(HumanTask, started) == rows_of(Timer, started) == rows_of(EventWait, started) == []
    assert engine.tasks_for_resident("r1") == []
    assert engine.worklist(RESIDENT, "invanare", ["u1"]) == []
    assert commit(engine.deliver_message("vardflode.action.withdrawn", {})) == 0
    engine.clock.advance(timedelta(days=5))
    assert engine.overdue_timer_ids() == []
    assert history(started)[-1] == ("ended", "c1", "resident_request")
    with pytest.raises(engine.TaskConflict):
        engine.end(started, CLINICIAN, "other")


def test_a_paused_program_can_be_ended(started):
    commit(engine.pause(started, CLINICIAN))
    commit(engine.end(started, CLINICIAN, "no_contact"))
    assert engine.instance(started).status == "ended"
    assert rows_of(HumanTask, started) == []


def test_a_new_responsible_clinician_gets_the_open_clinician_steps(started):
    do_homework(started)
    engine.clock.advance(timedelta(days=1, minutes=1))
    commit([engine.fire_timer(t) for t in engine.overdue_timer_ids()])
    assert task(started, "feedback").assignee_id == "c1"

    with pytest.raises(engine.Forbidden):  # a colleague is not the responsible clinician
        engine.reassign(started, COLLEAGUE, "c2")
    with pytest.raises(engine.Forbidden):
        engine.reassign(started, actor("a9", "invanaradmin", "u2"), "c2")
    commit(engine.reassign(started, ADMIN, "c2"))  # absence handling by the resident administrator

    assert task(started, "feedback").assignee_id == "c2"
    assert engine.instance(started).owner_id == "c2"
    assert history(started)[-1] == ("reassigned", "a1", "c2")
    commit(engine.reassign(started, COLLEAGUE, "c1"))  # now c2 is responsible and may pass it on
    assert task(started, "feedback").assignee_id == "c1"


def test_handing_over_moves_the_open_steps_to_the_new_units_list(started):
    homework = task(started, "homework")
    commit(engine.hand_over(started, CLINICIAN, "u2", "c9"))

    instance = engine.instance(started)
    assert (instance.unit_id, instance.owner_id) == ("u2", "c9")
    assert engine.worklist(RESIDENT, "invanare", ["u1"]) == []
    assert [t.id for t in engine.worklist(RESIDENT, "invanare", ["u2"])] == [homework.id]
    assert history(started)[-1] == ("handed_over", "c1", "u2")
    with pytest.raises(engine.Forbidden):  # the old unit has let go of it
        engine.pause(started, CLINICIAN)
    db.session.rollback()

    do_homework(started)
    engine.clock.advance(timedelta(days=1, minutes=1))
    commit([engine.fire_timer(t) for t in engine.overdue_timer_ids()])
    feedback = task(started, "feedback")
    assert (feedback.unit_id, feedback.assignee_id) == ("u2", "c9")  # later steps follow the instance
    handed_over = task(started, "platform:handover")  # the index sync left the platform task alone
    assert [t.id for t in engine.worklist(ELSEWHERE, "behandlare", ["u2"])] == [handed_over.id, feedback.id]


def test_a_hand_over_puts_a_task_to_take_the_resident_over_on_the_new_units_list(started):
    commit(engine.hand_over(started, CLINICIAN, "u2"))

    [taken] = engine.worklist(ELSEWHERE, "behandlare", ["u2"])
    assert (taken.element_id, taken.name, taken.unit_id, taken.assignee_id, taken.priority) == (
        "platform:handover", "New resident handed over", "u2", None, 1)
    assert taken.due_at == T0 + timedelta(days=2)  # Monday 08:00 → Wednesday 08:00: two working days
    assert engine.worklist(CLINICIAN, "behandlare", ["u1"]) == []
    with pytest.raises(engine.Forbidden):  # the old unit's clinician is not the receiving unit's
        engine.complete_task(taken.id, CLINICIAN)
    db.session.rollback()

    before = engine.instance(started).lock_version
    commit(engine.complete_task(taken.id, ELSEWHERE))
    assert engine.worklist(ELSEWHERE, "behandlare", ["u2"]) == []
    assert history(started)[-1] == ("taken_over", "c9", None)
    assert engine.instance(started).lock_version == before + 1
    assert [t.element_id for t in engine.ready_tasks(started)] == ["homework"]  # the program did not move
    with pytest.raises(engine.TaskConflict):
        engine.complete_task(taken.id, ELSEWHERE)
    db.session.rollback()

    do_homework(started)  # the program goes on as before, on the new unit
    assert [t.element_id for t in engine.ready_tasks(started)] == []


def test_a_second_hand_over_replaces_the_first_task_and_ending_the_program_removes_it(started):
    commit(engine.hand_over(started, CLINICIAN, "u2", "c9"))
    commit(engine.hand_over(started, ELSEWHERE, "u3"))
    assert [(t.element_id, t.unit_id) for t in engine.ready_tasks(started) if t.role == "behandlare"] == [
        ("platform:handover", "u3")]
    commit(engine.end(started, actor("c3", "behandlare", "u3"), "other"))
    assert engine.ready_tasks(started) == []


def test_handing_over_without_a_named_clinician_leaves_the_steps_to_anyone_on_the_unit(started):
    do_homework(started)
    engine.clock.advance(timedelta(days=1, minutes=1))
    commit([engine.fire_timer(t) for t in engine.overdue_timer_ids()])
    commit(engine.hand_over(started, CLINICIAN, "u2"))
    assert task(started, "feedback").assignee_id is None
    with pytest.raises(engine.InvalidTaskData):
        engine.hand_over(started, ELSEWHERE, "u2")


@pytest.mark.parametrize("verb", [
    lambda i: engine.resume(i, CLINICIAN),
    lambda i: engine.pause(i, CLINICIAN),
    lambda i: engine.hand_over(i, CLINICIAN, "u2"),
    lambda i: engine.reassign(i, CLINICIAN, "c2"),
], ids=["resume", "pause", "hand_over", "reassign"])
def test_a_program_in_the_wrong_state_is_a_conflict_and_nothing_changes(started, verb):
    commit(engine.end(started, CLINICIAN, "completed_early"))
    before = engine.instance(started).lock_version
    with pytest.raises(engine.TaskConflict):
        verb(started)
    db.session.rollback()
    assert engine.instance(started).lock_version == before


def test_running_cannot_be_resumed_and_paused_cannot_be_paused(started):
    with pytest.raises(engine.TaskConflict):
        engine.resume(started, CLINICIAN)
    commit(engine.pause(started, CLINICIAN))
    with pytest.raises(engine.TaskConflict):
        engine.pause(started, CLINICIAN)


@pytest.mark.parametrize("who", [ELSEWHERE, RESIDENT, ADMIN], ids=["other unit", "resident", "resident admin"])
def test_only_a_clinician_on_the_programs_unit_may_pause_end_or_hand_over(started, who):
    for verb in (lambda: engine.pause(started, who), lambda: engine.end(started, who, "other"),
                 lambda: engine.hand_over(started, who, "u3")):
        with pytest.raises(engine.Forbidden):
            verb()
        db.session.rollback()
    assert engine.instance(started).status == "running"
