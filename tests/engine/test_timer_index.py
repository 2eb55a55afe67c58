"""The index knows every event a workflow waits on (issue 16: 1, 2, 7), and a running instance
that nothing can move on goes to incident in the save that caused it (no silent stall)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

import engine
from engine.db import db
from engine.models import EventWait, Timer
from tests.conftest import actor
from tests.support import bpmn

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)  # a Monday
CLINICIAN = actor("c1", "behandlare")
STALLED = "nothing can move this program on"


def start(version):
    outcome = engine.start(version, engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1")
    db.session.commit()
    return outcome.instance_id


def move_to(when):
    engine.clock.freeze(when)
    for timer_id in engine.overdue_timer_ids():
        engine.fire_timer(timer_id)
    db.session.commit()


def reached(instance_id):
    return {e.element_id for e in engine.history(instance_id) if e.kind in ("completed", "timer_fired")}


def timers():
    return db.session.execute(select(Timer.element_id, Timer.due_at)).all()


def catch(eid, definition):
    return f'<bpmn:intermediateCatchEvent id="{eid}">{definition}</bpmn:intermediateCatchEvent>'


def gateway_program(first: str, second: str, extra: str = "") -> dict:
    """start -> event-based gateway -> first | second, each to its own end."""
    body = ('<bpmn:startEvent id="start" /><bpmn:eventBasedGateway id="gw" />' + first + second +
            '<bpmn:endEvent id="end_a" /><bpmn:endEvent id="end_b" />' +
            bpmn.flows(("f1", "start", "gw"), ("f2", "gw", "a"), ("f3", "gw", "b"), ("f4", "a", "end_a"),
                       ("f5", "b", "end_b")))
    return {"p.bpmn": bpmn.process("gwp", body, {"Behandlare": ["start", "gw", "a", "b", "end_a", "end_b"]}, extra)}


def test_a_timer_on_a_future_date_is_indexed_and_fires_on_that_date(publish):
    engine.clock.freeze(T0)
    doc = bpmn.linear("dp", bpmn.timer_event("wait", "timeDate", "2027-01-10T08:00:00Z"), "wait")
    instance_id = start(publish({"p.bpmn": doc}))
    due = datetime(2027, 1, 10, 8, 0, tzinfo=timezone.utc)
    assert timers() == [("wait", due)]
    move_to(due - timedelta(minutes=1))
    assert engine.instance(instance_id).status == "running"
    move_to(due + timedelta(seconds=1))
    assert engine.instance(instance_id).status == "completed"
    assert ("timer_fired", "wait") in [(e.kind, e.element_id) for e in engine.history(instance_id)]


def test_after_an_event_gateway_the_earliest_timer_wins_whatever_the_drawing_order(publish):
    # The 14-day timer is drawn first: SpiffWorkflow alone would give both timers its due time.
    engine.clock.freeze(T0)
    version = publish(gateway_program(bpmn.timer_event("b", "timeDuration", "P14D"),
                                      bpmn.timer_event("a", "timeDuration", "P7D")))
    instance_id = start(version)
    assert timers() == [("a", T0 + timedelta(days=7))]
    move_to(T0 + timedelta(days=7, seconds=1))
    assert engine.instance(instance_id).status == "completed"
    assert {"a", "end_a"} <= reached(instance_id) and not {"b", "end_b"} & reached(instance_id)
    assert timers() == []


def test_after_an_event_gateway_a_late_firing_still_takes_only_the_earliest_branch(publish):
    engine.clock.freeze(T0)
    version = publish(gateway_program(bpmn.timer_event("a", "timeDate", "2026-01-12T08:00:00Z"),
                                      bpmn.timer_event("b", "timeDuration", "P14D")))
    instance_id = start(version)
    move_to(T0 + timedelta(days=30))  # the scheduler was down: both are due at once
    assert {"a", "end_a"} <= reached(instance_id) and "end_b" not in reached(instance_id)


def throwing_at_end_b(files: dict) -> dict:
    """The timer branch's end throws the signal only so validate accepts the signal wait (a signal
    nothing in the package throws is refused); the test sends it from outside first."""
    throw = '<bpmn:endEvent id="end_b"><bpmn:signalEventDefinition id="se" signalRef="sig" /></bpmn:endEvent>'
    return {"p.bpmn": files["p.bpmn"].replace('<bpmn:endEvent id="end_b" />', throw)}


def test_a_timer_raced_against_a_signal_or_message_waits_on_both(publish):
    engine.clock.freeze(T0)
    extra = '<bpmn:signal id="sig" name="answered" /><bpmn:message id="msg" name="vardflode.action.replied" />'
    signal = catch("a", '<bpmn:signalEventDefinition id="sd" signalRef="sig" />')
    version = publish(throwing_at_end_b(gateway_program(signal, bpmn.timer_event("b", "timeDuration", "P7D"), extra)))
    first, second = start(version), start(version)
    assert sorted(timers()) == [("b", T0 + timedelta(days=7))] * 2
    assert db.session.scalars(select(EventWait.name)).all() == ["answered", "answered"]
    assert engine.send_signal("answered") == 2
    db.session.commit()
    assert engine.instance(first).status == engine.instance(second).status == "completed"
    assert "end_a" in reached(first) and timers() == []

    message = catch("a", '<bpmn:messageEventDefinition id="md" messageRef="msg" />')
    third = start(publish(gateway_program(message, bpmn.timer_event("b", "timeDuration", "P7D"), extra)))
    assert db.session.scalars(select(EventWait.kind)).all() == ["message"]
    move_to(engine.clock.now() + timedelta(days=8))
    assert "end_b" in reached(third) and db.session.scalars(select(EventWait.id)).all() == []


def test_a_timer_in_a_subprocess_is_indexed(publish):
    engine.clock.freeze(T0)
    inner = ('<bpmn:startEvent id="s_in" />' + bpmn.timer_event("inner_wait", "timeDate", "2026-02-01T08:00:00+01:00") +
             '<bpmn:endEvent id="e_in" />' + bpmn.flows(("fi1", "s_in", "inner_wait"), ("fi2", "inner_wait", "e_in")))
    sub = f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
    doc = bpmn.linear("sp", sub, "sub", lane_nodes=["s_in", "inner_wait", "e_in"])
    instance_id = start(publish({"p.bpmn": doc}))
    assert timers() == [("inner_wait", datetime(2026, 2, 1, 7, 0, tzinfo=timezone.utc))]
    move_to(datetime(2026, 2, 2, tzinfo=timezone.utc))
    assert engine.instance(instance_id).status == "completed"


def reminder_program(cancel: str) -> dict:
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("diary", name="Dagbok") +
            f'<bpmn:boundaryEvent id="remind" attachedToRef="diary" cancelActivity="{cancel}">'
            '<bpmn:timerEventDefinition id="remind_def"><bpmn:timeDuration>P3D</bpmn:timeDuration>'
            '</bpmn:timerEventDefinition></bpmn:boundaryEvent><bpmn:endEvent id="end" /><bpmn:endEvent id="end_r" />' +
            bpmn.flows(("f1", "start", "diary"), ("f2", "diary", "end"), ("f3", "remind", "end_r")))
    return {"p.bpmn": bpmn.process("rem", body, {"Behandlare": ["start", "diary", "remind", "end", "end_r"]})}


def test_a_non_interrupting_reminder_is_not_the_tasks_due_time(publish):
    engine.clock.freeze(T0)
    [diary] = engine.ready_tasks(start(publish(reminder_program("false"))))
    assert diary.due_at == T0 + timedelta(days=2)  # the two working days, not the reminder's three days
    [diary] = engine.ready_tasks(start(publish(reminder_program("true"))))
    assert diary.due_at == T0 + timedelta(days=3)  # an escalation that takes the task away is a deadline


# --- no silent stall -------------------------------------------------------------------------

def dead_join_program() -> dict:
    """A parallel join that waits for a branch an exclusive gateway sent elsewhere."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("choose") + '<bpmn:parallelGateway id="fork" />'
            '<bpmn:exclusiveGateway id="xor" default="f_join_b" /><bpmn:parallelGateway id="join" />'
            '<bpmn:endEvent id="end" /><bpmn:endEvent id="end_other" />' +
            bpmn.flows(("f1", "start", "choose"), ("f2", "choose", "fork"), ("f3", "fork", "join"),
                       ("f4", "fork", "xor"), ("f_join_b", "xor", "join"), ("f6", "join", "end")) +
            '<bpmn:sequenceFlow id="f_other" sourceRef="xor" targetRef="end_other">'
            '<bpmn:conditionExpression>skip == True</bpmn:conditionExpression></bpmn:sequenceFlow>')
    nodes = ["start", "choose", "fork", "xor", "join", "end", "end_other"]
    return {"p.bpmn": bpmn.process("dj", body, {"Behandlare": nodes})}


def test_a_join_that_can_never_fire_is_an_incident_in_the_save_that_caused_it(publish):
    instance_id = start(publish(dead_join_program()))
    [choose] = engine.ready_tasks(instance_id)
    outcome = engine.complete_task(choose.id, CLINICIAN, {"skip": True})
    db.session.commit()
    instance = engine.instance(instance_id)
    assert outcome.status == instance.status == "incident"
    assert instance.incident_element == "join"
    assert instance.incident_message == f"stalled at join: {STALLED}"
    assert instance_id in {i.id for i in engine.incidents()}
    assert engine.retry_incident(instance_id, CLINICIAN).status == "incident"  # still nothing can move it


def test_a_condition_that_nothing_can_change_is_an_incident(publish):
    cond = catch("until", '<bpmn:conditionalEventDefinition id="cd"><bpmn:condition>ready == True'
                          '</bpmn:condition></bpmn:conditionalEventDefinition>')
    instance_id = start(publish({"p.bpmn": bpmn.linear("cw", cond, "until")}))
    instance = engine.instance(instance_id)
    assert (instance.status, instance.incident_element) == ("incident", "until")


def test_a_program_that_waits_legitimately_is_never_flagged(publish):
    engine.clock.freeze(T0)
    message = catch("a", '<bpmn:messageEventDefinition id="md" messageRef="msg" />')
    only_message = bpmn.linear("om", message, "a", extra='<bpmn:message id="msg" name="vardflode.action.replied" />')
    timer = bpmn.linear("ot", bpmn.timer_event("wait", "timeDuration", "P7D"), "wait")
    for doc in (only_message, timer):
        assert engine.instance(start(publish({"p.bpmn": doc}))).status == "running"


def test_a_paused_and_resumed_program_and_a_call_activity_are_never_flagged(publish):
    engine.clock.freeze(T0)
    child = bpmn.process("child", '<bpmn:startEvent id="cs" />' + bpmn.timer_event("cwait", "timeDuration", "P2D") +
                         bpmn.user_task("child_step") + '<bpmn:endEvent id="ce" />' +
                         bpmn.flows(("c1", "cs", "cwait"), ("c2", "cwait", "child_step"), ("c3", "child_step", "ce")),
                         {"Behandlare": ["cs", "cwait", "child_step", "ce"]})
    parent = bpmn.linear("parent", '<bpmn:callActivity id="call" calledElement="child" />', "call")
    version = publish({"parent.bpmn": parent, "child.bpmn": child, "program.json": '{"main_process": "parent"}'})
    instance_id = start(version)
    assert engine.instance(instance_id).status == "running" and timers() == [("cwait", T0 + timedelta(days=2))]
    engine.pause(instance_id, CLINICIAN)
    db.session.commit()
    engine.clock.freeze(T0 + timedelta(days=3))
    engine.resume(instance_id, CLINICIAN)
    db.session.commit()
    assert engine.instance(instance_id).status == "running"
    assert [t.element_id for t in engine.ready_tasks(instance_id)] == ["child_step"]
