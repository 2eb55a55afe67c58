"""Moving running instances onto a new version of their program (issue 12): the instance keeps its
task ids, data, timers' due times and clinician deadlines, and then follows the new version's flow;
an instance that cannot move is refused with the reason and left as it was."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

import engine
from engine.db import db
from engine.models import HumanTask, ProcessInstance, Timer
from tests.conftest import actor
from tests.support import bpmn

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)  # a Monday
RESIDENT = engine.Actor("r1", frozenset({("invanare", None)}))
CLINICIAN = actor("c1", "behandlare")
ADMIN = actor("va1", "vardgivaradmin")
LANES_OF = {"homework": "Invånare", "read": "Invånare", "quiz": "Invånare", "a": "Invånare", "b": "Invånare"}


def steps_program(pid: str, *steps: str, middle: str = "", lanes: dict | None = None) -> str:
    """start → the user tasks in order → end; ``middle`` is extra XML (events) already flowed in."""
    nodes = ["start", *steps, "end"]
    body = '<bpmn:startEvent id="start" />' + "".join(
        bpmn.user_task(s, name=s.capitalize()) if not s.startswith("wait") else middle for s in steps)
    body += '<bpmn:endEvent id="end" />' + bpmn.flows(
        *[(f"f_{a}_{b}", a, b) for a, b in zip(nodes, nodes[1:])])
    lanes = lanes or {"Invånare": [n for n in nodes if n not in ("feedback", "extra")],
                      "Behandlare": [n for n in nodes if n in ("feedback", "extra")]}
    return bpmn.process(pid, body, lanes)


def start(version):
    outcome = engine.start(version, engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1")
    db.session.commit()
    return outcome.instance_id


def ready(instance_id):
    return [(t.element_id, t.name) for t in engine.ready_tasks(instance_id)]


def do(instance_id, element_id, who=RESIDENT, data=None):
    task = next(t for t in engine.ready_tasks(instance_id) if t.element_id == element_id)
    engine.complete_task(task.id, who, data or {})
    db.session.commit()


def move(instance_id, version):
    result = engine.move_instance(instance_id, version, ADMIN)
    db.session.commit()
    return result


def task_rows(instance_id):
    return db.session.execute(select(HumanTask.id, HumanTask.element_id, HumanTask.name, HumanTask.due_at,
                                     HumanTask.created_at).where(HumanTask.instance_id == instance_id)).all()


def state_of(instance_id):
    db.session.expire_all()
    row = db.session.get(ProcessInstance, instance_id)
    return row.version_hash, row.state, row.lock_version, row.status


@pytest.fixture(autouse=True)
def frozen_clock(ctx):
    engine.clock.freeze(T0)


def test_an_instance_waiting_in_a_user_task_keeps_the_task_and_then_follows_the_new_flow(publish):
    old = publish({"p.bpmn": steps_program("care", "homework", "feedback")})
    new = publish({"p.bpmn": steps_program("care", "homework", "extra", "feedback")})
    instance_id = start(old)
    before = task_rows(instance_id)
    plan, = engine.plan_move([instance_id], new)
    assert plan.can_move and plan.now == ("Homework",) and plan.after == ("Homework",)
    engine.clock.freeze(T0 + timedelta(hours=5))
    move(instance_id, new)
    assert engine.instance(instance_id).version_hash == new
    assert task_rows(instance_id) == before  # the same task id, created and due times
    do(instance_id, "homework")
    assert [e for e, _ in ready(instance_id)] == ["extra"]  # the new version's step
    moved = [e for e in engine.history(instance_id) if e.kind == "moved"]
    assert [(e.actor_id, e.detail) for e in moved] == [("va1", f"{old}>{new}")]


def timer_program(duration: str, after: tuple[str, ...]) -> str:
    steps = ("homework", "wait", *after)
    return steps_program("care", *steps, middle=bpmn.timer_event("wait", "timeDuration", duration))


def test_an_instance_waiting_on_a_timer_keeps_its_due_time(publish):
    old = publish({"p.bpmn": timer_program("P7D", ("feedback",))})
    new = publish({"p.bpmn": timer_program("P3D", ("extra", "feedback"))})  # a shorter wait for new starts
    instance_id = start(old)
    do(instance_id, "homework")
    due = [(e, d) for e, d in db.session.execute(select(Timer.element_id, Timer.due_at))]
    assert due == [("wait", T0 + timedelta(days=7))]
    engine.clock.freeze(T0 + timedelta(days=1))
    plan, = engine.plan_move(instance_id, new)
    assert plan.can_move and plan.now == plan.after == ("wait",)
    move(instance_id, new)
    assert db.session.execute(select(Timer.element_id, Timer.due_at)).all() == due
    engine.clock.freeze(T0 + timedelta(days=4))
    assert engine.overdue_timer_ids() == []  # the new version's three days do not apply to it
    engine.clock.freeze(T0 + timedelta(days=7, minutes=1))
    for timer_id in engine.overdue_timer_ids():
        engine.fire_timer(timer_id)
    db.session.commit()
    assert [e for e, _ in ready(instance_id)] == ["extra"]


def module_process(*steps: str) -> str:
    nodes = ["ms", *steps, "me"]
    body = ('<bpmn:startEvent id="ms" />' + "".join(bpmn.user_task(s, name=s.capitalize()) for s in steps) +
            '<bpmn:endEvent id="me" />' + bpmn.flows(*[(f"m_{a}_{b}", a, b) for a, b in zip(nodes, nodes[1:])]))
    return bpmn.process("module", body, {"Invånare": nodes})


def call_program(*module_steps: str) -> dict:
    main = bpmn.linear("main", '<bpmn:callActivity id="call" name="Modul" calledElement="module" />', "call",
                       lane="Invånare")
    return {"main.bpmn": main, "module.bpmn": module_process(*module_steps),
            "program.json": '{"main_process": "main"}'}


def test_an_instance_inside_a_call_activity_moves_with_its_called_process(publish):
    old = publish(call_program("read"))
    new = publish(call_program("read", "quiz"))
    instance_id = start(old)
    read_id = engine.ready_tasks(instance_id)[0].id
    plan, = engine.plan_move(instance_id, new)
    assert plan.can_move and plan.now == ("Modul", "Read")
    move(instance_id, new)
    assert [t.id for t in engine.ready_tasks(instance_id)] == [read_id]
    do(instance_id, "read", data={"answer": "ja"})
    assert [e for e, _ in ready(instance_id)] == ["quiz"]
    do(instance_id, "quiz")
    assert engine.instance(instance_id).status == "completed"


def parallel_program(after_join: tuple[str, ...] = ()) -> str:
    tail = ["join", *after_join, "end"]
    body = ('<bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />' + bpmn.user_task("a", name="A") +
            bpmn.user_task("b", name="B") + '<bpmn:parallelGateway id="join" />' +
            "".join(bpmn.user_task(s, name=s.capitalize()) for s in after_join) + '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "fork"), ("f2", "fork", "a"), ("f3", "fork", "b"), ("f4", "a", "join"),
                       ("f5", "b", "join"), *[(f"t{i}", x, y) for i, (x, y) in enumerate(zip(tail, tail[1:]))]))
    return bpmn.process("par", body, {"Invånare": ["start", "fork", "a", "b", "join", *after_join, "end"]})


def test_an_instance_in_one_branch_of_a_parallel_split_moves_and_the_join_still_waits(publish):
    old = publish({"p.bpmn": parallel_program()})
    new = publish({"p.bpmn": parallel_program(("summary",))})
    instance_id = start(old)
    do(instance_id, "a")
    assert [e for e, _ in ready(instance_id)] == ["b"]
    move(instance_id, new)
    assert [e for e, _ in ready(instance_id)] == ["b"]
    do(instance_id, "b")
    assert [e for e, _ in ready(instance_id)] == ["summary"]  # the join fired once, onto the new step


def test_a_move_to_a_version_without_the_waiting_step_is_refused_and_changes_nothing(publish):
    old = publish({"p.bpmn": steps_program("care", "homework", "feedback")})
    new = publish({"p.bpmn": steps_program("care", "intro", "feedback")})
    instance_id = start(old)
    before, rows_before = state_of(instance_id), task_rows(instance_id)
    plan, = engine.plan_move(instance_id, new)
    assert not plan.can_move and plan.after == ()
    assert [(b.reason, b.element_id) for b in plan.blockers] == [("removed", "homework")]
    with pytest.raises(engine.MoveRefused) as refused:
        engine.move_instance(instance_id, new, ADMIN)
    db.session.rollback()
    assert [b.element_id for b in refused.value.blockers] == ["homework"]
    assert state_of(instance_id) == before and task_rows(instance_id) == rows_before
    assert "moved" not in [e.kind for e in engine.history(instance_id)]


def test_an_open_clinician_task_keeps_its_deadline(publish):
    old = publish({"p.bpmn": steps_program("care", "homework", "feedback")})
    new = publish({"p.bpmn": steps_program("care", "homework", "feedback", "extra")})
    instance_id = start(old)
    do(instance_id, "homework")
    (task_id, _, _, due, created), = task_rows(instance_id)
    assert due == T0 + timedelta(days=2)  # two working days
    engine.clock.freeze(T0 + timedelta(days=1, hours=3))
    move(instance_id, new)
    assert task_rows(instance_id) == [(task_id, "feedback", "Feedback", due, created)]
    do(instance_id, "feedback", who=CLINICIAN)
    assert [e for e, _ in ready(instance_id)] == ["extra"]


def test_a_paused_instance_moves_and_stays_paused_without_timer_rows(publish):
    old = publish({"p.bpmn": timer_program("P7D", ("feedback",))})
    new = publish({"p.bpmn": timer_program("P7D", ("extra", "feedback"))})
    instance_id = start(old)
    do(instance_id, "homework")
    engine.pause(instance_id, CLINICIAN)
    db.session.commit()
    move(instance_id, new)
    assert engine.instance(instance_id).status == "paused"
    assert db.session.execute(select(Timer.id)).all() == []
    engine.clock.freeze(T0 + timedelta(days=8))
    engine.resume(instance_id, CLINICIAN)
    db.session.commit()
    assert [e for e, _ in ready(instance_id)] == ["extra"]  # the timer came due in the pause


def test_an_ended_instance_is_never_moved(publish):
    old = publish({"p.bpmn": steps_program("care", "homework", "feedback")})
    new = publish({"p.bpmn": steps_program("care", "homework", "extra", "feedback")})
    instance_id = start(old)
    engine.end(instance_id, CLINICIAN, "other")
    db.session.commit()
    plan, = engine.plan_move(instance_id, new)
    assert [b.reason for b in plan.blockers] == ["not_open"]
    with pytest.raises(engine.MoveRefused):
        engine.move_instance(instance_id, new, ADMIN)


def gateway_after_homework(condition_name: str) -> str:
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("homework", name="Homework") +
            '<bpmn:exclusiveGateway id="check" default="f_low" />' + bpmn.user_task("feedback") +
            bpmn.user_task("call_back") + '<bpmn:endEvent id="end" /><bpmn:endEvent id="end2" />' +
            bpmn.flows(("f1", "start", "homework"), ("f2", "homework", "check"), ("f_low", "check", "feedback"),
                       ("f4", "feedback", "end"), ("f5", "call_back", "end2")) +
            f'<bpmn:sequenceFlow id="f_high" sourceRef="check" targetRef="call_back"><bpmn:conditionExpression>'
            f'{condition_name} &gt; 10</bpmn:conditionExpression></bpmn:sequenceFlow>')
    return bpmn.process("care", body, {"Invånare": ["start", "homework", "check", "end", "end2"],
                                       "Behandlare": ["feedback", "call_back"]})


def test_a_condition_ahead_that_reads_a_name_nothing_sets_refuses_the_move(publish):
    old = publish({"p.bpmn": steps_program("care", "homework", "feedback")})
    new = publish({"p.bpmn": gateway_after_homework("risk_score")})
    instance_id = start(old)
    plan, = engine.plan_move(instance_id, new)
    assert [(b.reason, b.element_id, b.name) for b in plan.blockers] == [("data_missing", "check", "risk_score")]
    # A resident whose data already holds the name can move to the same version.
    given = engine.start(old, engine.SYSTEM, unit_id="u1", subject_id="r2", owner_id="c1", data={"risk_score": 3})
    db.session.commit()
    plan, = engine.plan_move(given.instance_id, new)
    assert plan.can_move


def test_a_step_with_a_boundary_timer_keeps_its_timer_and_its_task_and_takes_the_new_name(publish):
    from tests.engine.test_lifecycle import care_program
    files = care_program()
    old = publish(files)
    new = publish({"p.bpmn": files["p.bpmn"].replace('name="Hemuppgift"', 'name="Hemuppgift vecka 1"')})
    instance_id = start(old)
    timers_before = db.session.execute(select(Timer.task_id, Timer.element_id, Timer.due_at)).all()
    (task_id, *_), = task_rows(instance_id)
    assert [d for _, e, d in timers_before if e == "too_late"] == [T0 + timedelta(days=3)]
    engine.clock.freeze(T0 + timedelta(days=1))
    plan, = engine.plan_move(instance_id, new)
    assert (plan.now, plan.after) == (("Hemuppgift",), ("Hemuppgift vecka 1",))
    move(instance_id, new)
    assert db.session.execute(select(Timer.task_id, Timer.element_id, Timer.due_at)).all() == timers_before
    assert [(t.id, t.name) for t in engine.ready_tasks(instance_id)] == [(task_id, "Hemuppgift vecka 1")]
    engine.clock.freeze(T0 + timedelta(days=3, minutes=1))
    for timer_id in engine.overdue_timer_ids():
        engine.fire_timer(timer_id)
    db.session.commit()
    assert [e for e, _ in ready(instance_id)] == ["chase"]  # the boundary timer still takes the step away


def test_a_step_that_gained_an_attached_event_cannot_keep_its_place(publish):
    from tests.engine.test_lifecycle import care_program
    plain = steps_program("care", "homework", "feedback")
    old = publish({"p.bpmn": plain})
    guarded = publish(care_program())  # the same ids, and a 3-day timer and a message on "homework"
    instance_id = start(old)
    plan, = engine.plan_move(instance_id, guarded)
    assert [(b.reason, b.element_id) for b in plan.blockers] == [("changed_kind", "homework")]


def test_a_completed_step_the_new_version_removed_would_lose_its_answers_so_it_stays(publish):
    old = publish({"p.bpmn": steps_program("care", "homework", "feedback")})
    new = publish({"p.bpmn": steps_program("care", "intro", "feedback")})
    instance_id = start(old)
    do(instance_id, "homework", data={"note": "klart"})
    plan, = engine.plan_move(instance_id, new)
    assert [(b.reason, b.element_id) for b in plan.blockers] == [("completed_step_removed", "homework")]


def test_a_passed_gateway_the_new_version_removed_leaves_the_tree_and_the_program_runs_on(publish):
    old = publish({"p.bpmn": gateway_after_homework("points")})
    new = publish({"p.bpmn": steps_program("care", "homework", "feedback", "extra")})
    instance_id = start(old)
    do(instance_id, "homework", data={"points": 3})  # the gateway "check" sends it to feedback
    (task_id, *_), = task_rows(instance_id)
    move(instance_id, new)
    assert [t.id for t in engine.ready_tasks(instance_id)] == [task_id]
    do(instance_id, "feedback", who=CLINICIAN)
    do(instance_id, "extra", who=CLINICIAN)
    assert engine.instance(instance_id).status == "completed"
    assert [s.element_id for s in engine.instance_progress(instance_id).completed] == ["homework", "feedback", "extra"]


def test_a_called_process_the_new_version_dropped_keeps_the_instance_where_it_is(publish):
    old = publish(call_program("read"))
    flat = bpmn.linear("main", bpmn.user_task("call", name="Modul"), "call", lane="Invånare")
    new = publish({"main.bpmn": flat, "program.json": '{"main_process": "main"}'})
    instance_id = start(old)
    plan, = engine.plan_move(instance_id, new)
    assert ("process_removed", "module") in [(b.reason, b.element_id) for b in plan.blockers]
