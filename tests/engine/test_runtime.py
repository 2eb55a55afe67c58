"""Programs running through the engine facade. Every facade call loads the instance from the
database and saves it back, so each test below restores state between every step."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

import engine
from engine.db import db
from engine.models import HumanTask, InstanceEvent, ProcessInstance, ProgramVersion, Timer
from tests.conftest import FIXTURES, actor
from tests.support import bpmn

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
RESIDENT = actor("r1", "invanare")
CLINICIAN = actor("c1", "behandlare")


def start(version, **kw):
    kw.setdefault("unit_id", "u1")
    kw.setdefault("subject_id", "r1")
    kw.setdefault("owner_id", "c1")
    outcome = engine.start(version, engine.SYSTEM, **kw)
    db.session.commit()
    return outcome


def only_task(instance_id):
    tasks = engine.ready_tasks(instance_id)
    assert len(tasks) == 1, tasks
    return tasks[0]


def complete(task, who, data=None):
    outcome = engine.complete_task(task.id, who, data or {})
    db.session.commit()
    return outcome


def fire_all_due():
    fired = [engine.fire_timer(t) is not None for t in engine.overdue_timer_ids()]
    db.session.commit()
    return fired


def kinds(instance_id):
    return [(e.kind, e.element_id) for e in engine.history(instance_id)]


def test_program_runs_end_to_end_on_the_moved_clock(publish):
    engine.clock.freeze(T0)
    version = publish(FIXTURES / "simple")
    outcome = start(version)
    task = only_task(outcome.instance_id)
    assert (task.element_id, task.role, task.assignee_id, task.form) == ("answer", "invanare", "r1", "weekly.form")

    complete(task, RESIDENT, {"q1": 1, "q2": 1})
    assert engine.ready_tasks(outcome.instance_id) == []
    timer = db.session.scalars(select(Timer)).one()
    assert timer.due_at == T0 + timedelta(days=7)
    assert fire_all_due() == []  # not yet due

    engine.clock.advance(timedelta(days=7, seconds=1))
    assert fire_all_due() == [True]
    assert engine.instance(outcome.instance_id).status == "completed"
    assert db.session.scalars(select(Timer)).all() == []
    assert ("timer_fired", "wait_week") in kinds(outcome.instance_id)


def test_risk_path_gives_the_clinician_a_task(publish):
    version = publish(FIXTURES / "simple")
    outcome = start(version)
    complete(only_task(outcome.instance_id), RESIDENT, {"q1": 3, "q2": 2})
    review = only_task(outcome.instance_id)
    assert (review.element_id, review.role, review.assignee_id) == ("review", "behandlare", "c1")
    assert [t.id for t in engine.worklist(CLINICIAN, "behandlare", ["u1"])] == [review.id]
    assert engine.worklist(actor("c2", "behandlare", "u2"), "behandlare", ["u1"]) == []
    complete(review, CLINICIAN)
    assert engine.instance(outcome.instance_id).status == "completed"


def test_instance_state_holds_no_spec_and_versions_are_stored_once(publish):
    version = publish(FIXTURES / "simple")
    assert publish(FIXTURES / "simple") == version
    one, two = start(version), start(version)
    assert db.session.scalar(select(db.func.count()).select_from(ProgramVersion)) == 1
    import zlib
    state = json.loads(zlib.decompress(db.session.get(ProcessInstance, one.instance_id).state))
    assert "spec" not in state and "subprocess_specs" not in state
    assert engine.instance(two.instance_id).version_hash == version


def test_changed_content_is_a_new_version(publish):
    files = engine.read_paths([FIXTURES / "simple"])
    first = publish(dict(files))
    files["forms/weekly.form"] = files["forms/weekly.form"].replace(b"Fr\xc3\xa5ga 1", b"Fr\xc3\xa5ga ett")
    assert publish(files) != first


def test_completing_twice_is_a_conflict_and_advances_once(publish):
    version = publish(FIXTURES / "simple")
    outcome = start(version)
    task = only_task(outcome.instance_id)
    complete(task, RESIDENT, {"q1": 0, "q2": 0})
    with pytest.raises(engine.TaskConflict):
        complete(task, RESIDENT, {"q1": 0, "q2": 0})
    assert kinds(outcome.instance_id).count(("completed", "answer")) == 1


def test_only_the_right_role_unit_and_resident_may_complete(publish):
    version = publish(FIXTURES / "simple")
    task = only_task(start(version).instance_id)
    for intruder in (actor("c1", "behandlare"), actor("r1", "invanare", "u2"), actor("r2", "invanare")):
        with pytest.raises(engine.Forbidden):
            complete(task, intruder, {"q1": 0, "q2": 0})
        db.session.rollback()
    complete(task, RESIDENT, {"q1": 0, "q2": 0})


@pytest.mark.parametrize("data", [{"_x": 1}, {"a b": 1}, {"x": object()}, {"x": "y" * 70_000}])
def test_task_data_must_be_plain_named_json(publish, data):
    task = only_task(start(publish(FIXTURES / "simple")).instance_id)
    with pytest.raises(engine.InvalidTaskData):
        complete(task, RESIDENT, data)


def test_task_data_may_use_a_helpers_name_which_then_cannot_be_called(publish):
    # The fixture's script calls sum() and never max(): data named max is kept, data named sum
    # hides the helper, and the call is an incident that says why (the validator warns of both
    # when the package uses the name as data, engine/shadowing.py).
    outcome = complete(only_task(start(publish(FIXTURES / "simple")).instance_id), RESIDENT, {"max": 1, "q1": 3, "q2": 2})
    assert outcome.status != "incident"
    outcome = complete(only_task(start(publish(FIXTURES / "simple")).instance_id), RESIDENT, {"sum": 1, "q1": 0, "q2": 0})
    assert outcome.status == "incident" and "'sum' is data in this instance" in outcome.incident


def test_a_script_may_name_its_result_like_a_helper_and_a_later_condition_reads_the_number(publish):
    # Given a script score = q1 + q2 (score is also the instrument helper's name) and a gateway on score
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("enter") + bpmn.script_task("calc", "score = q1 + q2") +
            '<bpmn:exclusiveGateway id="gw" default="f_low" />' + bpmn.user_task("call", name="Ring") +
            '<bpmn:endEvent id="end" /><bpmn:endEvent id="end_low" />' +
            bpmn.flows(("f1", "start", "enter"), ("f2", "enter", "calc"), ("f3", "calc", "gw"),
                       ("f_low", "gw", "end_low"), ("f5", "call", "end")).replace(
                '<bpmn:sequenceFlow id="f_low"',
                '<bpmn:sequenceFlow id="f_high" sourceRef="gw" targetRef="call"><bpmn:conditionExpression>'
                'score &gt;= 5</bpmn:conditionExpression></bpmn:sequenceFlow><bpmn:sequenceFlow id="f_low"'))
    version = publish({"p.bpmn": bpmn.process("p", body, {"Behandlare": ["start", "enter", "calc", "gw", "call", "end", "end_low"]})})
    outcome = start(version)
    # When the answers sum to 5
    complete(only_task(outcome.instance_id), CLINICIAN, {"q1": 2, "q2": 3})
    # Then the condition read score as the number 5 and the high branch's step is ready
    assert engine.instance(outcome.instance_id).status == "running"
    assert only_task(outcome.instance_id).element_id == "call"


def program_with_script(script: str) -> dict:
    doc = bpmn.process("calc_p", '<bpmn:startEvent id="start" />' + bpmn.user_task("enter") +
                       bpmn.script_task("calc", script) + '<bpmn:endEvent id="end" />' +
                       bpmn.flows(("f1", "start", "enter"), ("f2", "enter", "calc"), ("f3", "calc", "end")),
                       {"Behandlare": ["start", "enter", "calc", "end"]})
    return {"p.bpmn": doc}


def test_failing_expression_is_an_incident_not_an_error(publish):
    version = publish(program_with_script("ratio = total / count"))
    outcome = start(version)
    result = complete(only_task(outcome.instance_id), CLINICIAN, {"total": 10, "count": 0})
    assert result.status == "incident"
    instance = engine.instance(outcome.instance_id)
    assert instance.incident_element == "calc"
    assert "ZeroDivisionError" in instance.incident_message
    assert [i.id for i in engine.incidents()] == [outcome.instance_id]
    assert ("completed", "enter") in kinds(outcome.instance_id)  # the clinician's work is kept
    assert engine.retry_incident(outcome.instance_id, engine.SYSTEM).status == "incident"


def test_tampered_stored_spec_still_cannot_run_python(publish, tmp_path, monkeypatch):
    # A tampered spec is refused on load (test_version_integrity.py); even if that check were
    # bypassed, the sandbox still runs no Python.
    from engine import integrity
    monkeypatch.setattr(integrity, "verify", lambda row: None)
    version = publish(program_with_script("x = 1"))
    row = db.session.get(ProgramVersion, version)
    row.spec_json = row.spec_json.replace("x = 1", "x = __import__('os').system('touch %s/pwned')" % tmp_path)
    db.session.commit()
    from engine import instances
    instances.forget_cached_versions()
    outcome = start(version)
    complete(only_task(outcome.instance_id), CLINICIAN)
    instance = engine.instance(outcome.instance_id)
    assert instance.status == "incident" and "names starting with '_'" in instance.incident_message
    assert not (tmp_path / "pwned").exists()


def escalation_program() -> dict:
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("assess", name="Bedöm risk") +
            '<bpmn:boundaryEvent id="too_late" attachedToRef="assess"><bpmn:timerEventDefinition id="too_late_def">'
            '<bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>' +
            bpmn.user_task("escalated", name="Eskalerad risk") +
            '<bpmn:endEvent id="done" /><bpmn:endEvent id="done2" />' +
            bpmn.flows(("f1", "start", "assess"), ("f2", "assess", "done"), ("f3", "too_late", "escalated"),
                       ("f4", "escalated", "done2")))
    lanes = {"Behandlare": ["start", "assess", "too_late", "done"], "Invånaradministratör": ["escalated", "done2"]}
    return {"p.bpmn": bpmn.process("esc", body, lanes)}


def test_unhandled_task_escalates_after_its_boundary_timer(publish):
    engine.clock.freeze(T0)
    outcome = start(publish(escalation_program()))
    assess = only_task(outcome.instance_id)
    assert assess.due_at == T0 + timedelta(days=2)
    engine.clock.advance(timedelta(days=2, minutes=1))
    fire_all_due()
    escalated = only_task(outcome.instance_id)
    # A staff step with no timer of its own: due two working days after it opened (Wednesday → Friday).
    assert (escalated.element_id, escalated.role, escalated.due_at) == (
        "escalated", "invanaradmin", T0 + timedelta(days=4, minutes=1))
    with pytest.raises(engine.TaskConflict):
        complete(assess, CLINICIAN)


def test_firing_a_timer_twice_changes_nothing(publish):
    engine.clock.freeze(T0)
    outcome = start(publish(escalation_program()))
    timer_id = db.session.scalars(select(Timer.id)).one()
    engine.clock.advance(timedelta(days=3))
    assert engine.fire_timer(timer_id) is not None
    db.session.commit()
    before = engine.instance(outcome.instance_id).lock_version
    assert engine.fire_timer(timer_id) is None
    db.session.commit()
    assert engine.instance(outcome.instance_id).lock_version == before
    assert kinds(outcome.instance_id).count(("timer_fired", "too_late")) == 1


def message_program() -> dict:
    # The normal end throws the signal only so validate accepts the boundary wait (a signal
    # nothing in the package throws is refused); the test sends it from outside before that.
    extra = '<bpmn:message id="msg_feedback" name="vardflode.action.feedback_given" /><bpmn:signal id="sig_stop" name="stop_program" />'
    body = ('<bpmn:startEvent id="start" />'
            '<bpmn:intermediateCatchEvent id="wait_feedback"><bpmn:messageEventDefinition id="md" '
            'messageRef="msg_feedback" /></bpmn:intermediateCatchEvent>' + bpmn.user_task("read_feedback") +
            '<bpmn:boundaryEvent id="stopped" attachedToRef="read_feedback"><bpmn:signalEventDefinition id="sd" '
            'signalRef="sig_stop" /></bpmn:boundaryEvent><bpmn:endEvent id="end"><bpmn:signalEventDefinition id="se" '
            'signalRef="sig_stop" /></bpmn:endEvent><bpmn:endEvent id="end_stopped" />' +
            bpmn.flows(("f1", "start", "wait_feedback"), ("f2", "wait_feedback", "read_feedback"),
                       ("f3", "read_feedback", "end"), ("f4", "stopped", "end_stopped")))
    lanes = {"Invånare": ["start", "wait_feedback", "read_feedback", "stopped", "end", "end_stopped"]}
    return {"p.bpmn": bpmn.process("msg", body, lanes, extra)}


def test_messages_and_signals_are_delivered_from_outside(publish):
    version = publish(message_program())
    first, second = start(version), start(version, subject_id="r2")
    assert engine.ready_tasks(first.instance_id) == []
    assert engine.deliver_message("vardflode.action.feedback_given", {"text": "Bra jobbat"}) == 2
    db.session.commit()
    assert only_task(first.instance_id).element_id == "read_feedback"
    assert engine.deliver_message("vardflode.action.feedback_given", {}) == 0
    assert engine.send_signal("stop_program") == 2
    db.session.commit()
    assert engine.instance(first.instance_id).status == "completed"
    assert ("completed", "stopped") in kinds(second.instance_id)


# 600 engine loop trips take 10-40 s: quick loops leave it out with -m "not slow".
@pytest.mark.slow
def test_six_hundred_loop_iterations_never_complete_early(publish):
    loop = bpmn.user_task("again", inner='<bpmn:standardLoopCharacteristics loopMaximum="600">'
                          '<bpmn:loopCondition>count &lt; 10000</bpmn:loopCondition></bpmn:standardLoopCharacteristics>')
    outcome = start(publish({"p.bpmn": bpmn.linear("loop", loop, "again")}), data={"count": 0})
    for n in range(1, 601):
        assert engine.instance(outcome.instance_id).status == "running", n
        complete(only_task(outcome.instance_id), CLINICIAN, {"count": n})
    assert engine.instance(outcome.instance_id).status == "completed"
    assert kinds(outcome.instance_id).count(("task_ready", "again")) == 600


def test_index_tables_follow_the_state(publish):
    outcome = start(publish(escalation_program()))
    assert db.session.scalar(select(db.func.count()).select_from(HumanTask)) == 1
    complete(only_task(outcome.instance_id), CLINICIAN)
    assert db.session.scalar(select(db.func.count()).select_from(HumanTask)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(Timer)) == 0
    assert engine.instance(outcome.instance_id).status == "completed"
    assert db.session.scalars(select(InstanceEvent.kind).where(InstanceEvent.kind == "task_ready")).all() == ["task_ready"]


def test_timer_expression_reads_task_data(publish):
    engine.clock.freeze(T0)
    doc = bpmn.linear("dyn", bpmn.timer_event("wait", "timeDuration", "duration(days=wait_days)"), "wait")
    start(publish({"p.bpmn": doc}), data={"wait_days": 3})
    assert db.session.scalars(select(Timer.due_at)).one() == T0 + timedelta(days=3)
    assert engine.instance(db.session.scalars(select(ProcessInstance.id)).one()).status == "running"


def test_a_bounded_cycle_fires_each_time_then_stops(publish):
    engine.clock.freeze(T0)
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("answer") +
            '<bpmn:boundaryEvent id="remind" attachedToRef="answer" cancelActivity="false">'
            '<bpmn:timerEventDefinition id="remind_def"><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle>'
            '</bpmn:timerEventDefinition></bpmn:boundaryEvent>' + bpmn.script_task("note", "reminded = True") +
            '<bpmn:endEvent id="end" /><bpmn:endEvent id="reminder_sent" />' +
            bpmn.flows(("f1", "start", "answer"), ("f2", "answer", "end"), ("f3", "remind", "note"),
                       ("f4", "note", "reminder_sent")))
    outcome = start(publish({"p.bpmn": bpmn.process("cyc", body, {"Invånare": [
        "start", "answer", "remind", "note", "end", "reminder_sent"]})}))
    dues = []
    for hour in range(1, 5):
        dues.append(db.session.scalars(select(Timer.due_at)).all())
        engine.clock.freeze(T0 + timedelta(hours=hour, seconds=1))
        fire_all_due()
    assert dues[:3] == [[T0 + timedelta(hours=h)] for h in (1, 2, 3)]
    assert dues[3] == []
    assert kinds(outcome.instance_id).count(("completed", "note")) == 3
    assert only_task(outcome.instance_id).element_id == "answer"  # the person can still answer


@pytest.mark.timeout(20)
@pytest.mark.parametrize("script", ["x = 9 ** 5000", "x = str([[0] * 99999] * 99999)", "x = f'{1:>2000000000}'"])
def test_a_script_that_would_exhaust_the_server_is_an_incident_at_once(publish, script):
    # Given a program whose script would build a huge value, when the clinician completes the
    # task before it, then the instance goes to incident with a plain reason and the work is kept.
    version = publish(program_with_script(script))
    outcome = start(version)
    result = complete(only_task(outcome.instance_id), CLINICIAN, {"total": 1, "count": 1})
    assert result.status == "incident"
    instance = engine.instance(outcome.instance_id)
    assert instance.incident_element == "calc"
    assert "larger than" in instance.incident_message or "more than" in instance.incident_message \
        or "format width" in instance.incident_message


def program_with_timer(value: str) -> dict:
    doc = bpmn.process("tp", '<bpmn:startEvent id="start" />' + bpmn.user_task("enter") +
                       bpmn.timer_event("wait", "timeDuration", value) + '<bpmn:endEvent id="end" />' +
                       bpmn.flows(("f1", "start", "enter"), ("f2", "enter", "wait"), ("f3", "wait", "end")),
                       {"Behandlare": ["start", "enter", "wait", "end"]})
    return {"p.bpmn": doc}


@pytest.mark.parametrize("value, data, reason", [
    ("duration(days=days)", {"days": 10_000_000}, "at most 20 years"),
    ("f'P{days}D'", {"days": 100_000_000}, "out of range"),
    ("f'P{days}D'", {"days": 30_000}, "more than 20 years ahead"),
])
def test_a_timer_that_cannot_be_scheduled_is_an_incident_and_the_answers_are_kept(publish, value, data, reason):
    # Given a timer whose wait is computed from the answers, when the answers make it overflow,
    # then completing the task succeeds, the instance is in incident at the timer, and the answers stay.
    outcome = start(publish(program_with_timer(value)))
    result = complete(only_task(outcome.instance_id), CLINICIAN, data)
    assert result.status == "incident"
    instance = engine.instance(outcome.instance_id)
    assert (instance.incident_element, reason in instance.incident_message) == ("wait", True), instance.incident_message
    assert ("completed", "enter") in kinds(outcome.instance_id)
    assert db.session.scalars(select(Timer.id).where(Timer.instance_id == outcome.instance_id)).all() == []


def test_a_timer_that_fails_when_it_fires_is_an_incident_not_a_retry_loop(publish):
    # Given a first timer that is fine and a second one that overflows once the first has fired,
    # when the first fires, then the firing does not raise (the actor would be retried forever):
    # the instance goes to incident at the second timer and no timer row is left to fire again.
    engine.clock.freeze(T0)
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("enter") + bpmn.timer_event("first", "timeDuration", "P1D")
            + bpmn.timer_event("second", "timeDuration", "f'P{days}D'") + '<bpmn:endEvent id="end" />'
            + bpmn.flows(("f1", "start", "enter"), ("f2", "enter", "first"), ("f3", "first", "second"), ("f4", "second", "end")))
    version = publish({"p.bpmn": bpmn.process("tp2", body, {"Behandlare": ["start", "enter", "first", "second", "end"]})})
    outcome = start(version)
    complete(only_task(outcome.instance_id), CLINICIAN, {"days": 100_000_000})
    engine.clock.advance(timedelta(days=2))
    assert fire_all_due() == [True]
    instance = engine.instance(outcome.instance_id)
    assert (instance.status, instance.incident_element) == ("incident", "second")
    assert engine.overdue_timer_ids() == []
