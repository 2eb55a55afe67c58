"""No silent stall, shape by shape (issue 16): each planted stall that validate accepts becomes an
incident in the save that causes it, and an administrator's retry, with nothing changed, says the
same. The dead parallel join and the unchangeable condition are in test_timer_index.py."""
from __future__ import annotations

import engine
from engine.db import db
from tests.engine.test_timer_index import CLINICIAN, STALLED, start
from tests.support import bpmn

SKIP = '<bpmn:conditionExpression>skip == True</bpmn:conditionExpression>'


def cond_flow(fid: str, source: str, target: str, expression: str) -> str:
    return (f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}">'
            f'<bpmn:conditionExpression>{expression}</bpmn:conditionExpression></bpmn:sequenceFlow>')


def dead_join(p: str) -> tuple[str, list[str]]:
    """``p``_start -> fork -> (join | xor); xor sends the branch past the join when ``skip``: the
    parallel join ``p``_join then waits for ever."""
    ids = [f"{p}_{n}" for n in ("start", "fork", "xor", "join", "end", "other")]
    start_, fork, xor, join, end, other = ids
    body = (f'<bpmn:startEvent id="{start_}" /><bpmn:parallelGateway id="{fork}" />'
            f'<bpmn:exclusiveGateway id="{xor}" default="{p}_f5" /><bpmn:parallelGateway id="{join}" />'
            f'<bpmn:endEvent id="{end}" /><bpmn:endEvent id="{other}" />' +
            bpmn.flows((f"{p}_f1", start_, fork), (f"{p}_f2", fork, join), (f"{p}_f3", fork, xor),
                       (f"{p}_f5", xor, join), (f"{p}_f6", join, end)) +
            cond_flow(f"{p}_f4", xor, other, "skip == True"))
    return body, ids


def after_choice(pid: str, middle: str, middle_id: str, nodes: list[str], extra_files: dict | None = None) -> dict:
    """start -> choose (a person's step) -> middle -> end: the stall comes with the choice."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("choose") + middle + '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "choose"), ("f2", "choose", middle_id), ("f3", middle_id, "end")))
    lanes = {"Behandlare": ["start", "choose", middle_id, "end", *nodes]}
    return {"p.bpmn": bpmn.process(pid, body, lanes), **(extra_files or {})}


def assert_incident_in_the_choosing_save(publish, files: dict, element: str, message: str, data=None) -> str:
    instance_id = start(publish(files))
    assert engine.instance(instance_id).status == "running"
    [choose] = engine.ready_tasks(instance_id)
    outcome = engine.complete_task(choose.id, CLINICIAN, data if data is not None else {"skip": True})
    db.session.commit()
    instance = engine.instance(instance_id)
    assert (outcome.status, instance.status) == ("incident", "incident")
    assert (instance.incident_element, instance.incident_message) == (element, message)
    assert engine.retry_incident(instance_id, CLINICIAN).status == "incident"  # nothing has changed
    db.session.commit()
    instance = engine.instance(instance_id)
    assert (instance.incident_element, instance.incident_message) == (element, message)
    return instance_id


def test_a_subprocess_that_stalls_inside_is_an_incident_at_its_inner_join(publish):
    inner, ids = dead_join("s")
    sub = f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
    assert_incident_in_the_choosing_save(publish, after_choice("sp", sub, "sub", ids), "s_join",
                                         f"stalled at s_join: {STALLED}")


def test_a_call_activity_whose_child_stalls_is_an_incident_at_the_childs_join(publish):
    inner, ids = dead_join("c")
    child = bpmn.process("child", inner, {"Behandlare": ids})
    files = after_choice("parent", '<bpmn:callActivity id="call" calledElement="child" />', "call", [],
                         {"child.bpmn": child, "program.json": '{"main_process": "parent"}'})
    assert_incident_in_the_choosing_save(publish, files, "c_join", f"stalled at c_join: {STALLED}")


def test_a_condition_in_a_subprocess_that_nothing_can_change_is_an_incident(publish):
    cond = ('<bpmn:startEvent id="s_in" /><bpmn:intermediateCatchEvent id="until"><bpmn:conditionalEventDefinition '
            'id="cd"><bpmn:condition>ready == True</bpmn:condition></bpmn:conditionalEventDefinition>'
            '</bpmn:intermediateCatchEvent><bpmn:endEvent id="e_in" />' +
            bpmn.flows(("fi1", "s_in", "until"), ("fi2", "until", "e_in")))
    sub = f'<bpmn:subProcess id="sub">{cond}</bpmn:subProcess>'
    assert_incident_in_the_choosing_save(publish, after_choice("cs", sub, "sub", ["s_in", "until", "e_in"]),
                                         "until", f"stalled at until: {STALLED}", data={"ready": False})


def gateway_without_way_out(kind: str) -> dict:
    """start -> choose -> a diverging gateway with no condition true for a few points, no default."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("choose") + f'<bpmn:{kind} id="route" />'
            '<bpmn:endEvent id="end_a" /><bpmn:endEvent id="end_b" />' +
            bpmn.flows(("f1", "start", "choose"), ("f2", "choose", "route")) +
            cond_flow("fa", "route", "end_a", "points > 10") + cond_flow("fb", "route", "end_b", "points > 20"))
    return {"p.bpmn": bpmn.process("gw", body, {"Behandlare": ["start", "choose", "route", "end_a", "end_b"]})}


# SpiffWorkflow raises for both; the engine's incident for a designer fault names the gateway.
def test_an_exclusive_gateway_with_no_true_condition_and_no_default_is_an_incident(publish):
    assert_incident_in_the_choosing_save(publish, gateway_without_way_out("exclusiveGateway"), "route",
                                         "No conditions satisfied for route", data={"points": 1})


def test_an_inclusive_gateway_with_no_true_condition_and_no_default_is_an_incident(publish):
    assert_incident_in_the_choosing_save(publish, gateway_without_way_out("inclusiveGateway"), "route",
                                         "No conditions satisfied on gateway", data={"points": 1})


def inclusive_join(split: str, nodes: list[str], to_a: str | None = None) -> dict:
    """start -> choose -> ``split`` -> (a | a second branch in ``split``) -> inclusive join."""
    flow_a = cond_flow("fa", "split", "a", to_a) if to_a else bpmn.flows(("fa", "split", "a"))
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("choose") + split + flow_a +
            bpmn.user_task("a") + '<bpmn:inclusiveGateway id="ijoin" /><bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "choose"), ("f2", "choose", "split"),
                       ("fa2", "a", "ijoin"), ("fj", "ijoin", "end")))
    lanes = {"Behandlare": ["start", "choose", "split", "a", "ijoin", "end", *nodes]}
    return {"p.bpmn": bpmn.process("ij", body, lanes)}


def test_an_inclusive_join_does_not_wait_for_a_branch_that_was_never_taken(publish):
    # Not a stall SpiffWorkflow can reach: its inclusive join waits only for a branch that can still
    # arrive; one its split did not take, or one sent elsewhere, is not waited for.
    untaken = ('<bpmn:inclusiveGateway id="split" /><bpmn:task id="b" />' + cond_flow("fb", "split", "b", "skip == False")
               + bpmn.flows(("fb2", "b", "ijoin")))
    sent_elsewhere = ('<bpmn:parallelGateway id="split" /><bpmn:exclusiveGateway id="xor" default="fb2" /><bpmn:task id="b" />'
                      '<bpmn:endEvent id="other" />' + bpmn.flows(("fb", "split", "xor"), ("fb2", "xor", "b"), ("fb3", "b", "ijoin"))
                      + cond_flow("fo", "xor", "other", "skip == True"))
    for files in (inclusive_join(untaken, ["b"], to_a="skip == True"),
                  inclusive_join(sent_elsewhere, ["xor", "b", "other"])):
        instance_id = start(publish(files))
        [choose] = engine.ready_tasks(instance_id)
        engine.complete_task(choose.id, CLINICIAN, {"skip": True})
        db.session.commit()
        [a] = engine.ready_tasks(instance_id)
        assert engine.complete_task(a.id, CLINICIAN, {}).status == "completed"
        db.session.commit()


def test_an_inclusive_join_behind_a_dead_parallel_join_is_an_incident_once_nothing_else_can_move(publish):
    inner, ids = dead_join("d")
    # The second branch runs into a dead parallel join before the inclusive join: the inclusive
    # join waits for it (it could still arrive, as far as SpiffWorkflow can tell) for ever.
    branch = inner.replace('<bpmn:startEvent id="d_start" />', '').replace('<bpmn:endEvent id="d_end" />', '')
    branch = branch.replace('sourceRef="d_join" targetRef="d_end"', 'sourceRef="d_join" targetRef="ijoin"')
    branch = branch.replace('sourceRef="d_start" targetRef="d_fork"', 'sourceRef="split" targetRef="d_fork"')
    split = '<bpmn:parallelGateway id="split" />' + branch
    instance_id = start(publish(inclusive_join(split, [i for i in ids if i not in ("d_start", "d_end")])))
    [choose] = engine.ready_tasks(instance_id)
    engine.complete_task(choose.id, CLINICIAN, {"skip": True})
    db.session.commit()
    [a] = engine.ready_tasks(instance_id)
    outcome = engine.complete_task(a.id, CLINICIAN, {})  # the last thing that could move it
    db.session.commit()
    instance = engine.instance(instance_id)
    assert outcome.status == instance.status == "incident"
    # Named where it is stuck: the dead parallel join, not the inclusive join waiting on it.
    assert (instance.incident_element, instance.incident_message) == ("d_join", f"stalled at d_join: {STALLED}")
    assert engine.retry_incident(instance_id, CLINICIAN).status == "incident"
