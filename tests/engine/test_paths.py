"""Path coverage read from an instance: the elements it reached and the sequence flows it took,
against every element and flow of the package (engine.package_paths, engine.paths_taken)."""
from __future__ import annotations

from datetime import timedelta
from xml.sax.saxutils import escape

import engine
from engine.db import db
from tests.engine.test_runtime import T0, fire_all_due
from tests.support import bpmn


def choice_package() -> dict:
    """start → ask → gateway: "mild" or else "severe" → join → review (a two-day interrupting
    reminder leads to "escalate") → end."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("ask", name="Fråga") +
            '<bpmn:exclusiveGateway id="gw" default="f_severe" />' +
            bpmn.script_task("mild", "path = 'mild'") + bpmn.script_task("severe", "path = 'severe'") +
            '<bpmn:exclusiveGateway id="join" />' + bpmn.user_task("review", name="Granska") +
            '<bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition id="late_def">'
            '<bpmn:timeDuration>"P2D"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>' +
            bpmn.user_task("escalate") + '<bpmn:endEvent id="end" /><bpmn:endEvent id="end_late" />' +
            '<bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="ask" />'
            '<bpmn:sequenceFlow id="f_ask" sourceRef="ask" targetRef="gw" />'
            f'<bpmn:sequenceFlow id="f_mild" name="Lindrig" sourceRef="gw" targetRef="mild"><bpmn:conditionExpression>'
            f'{escape("points < 10")}</bpmn:conditionExpression></bpmn:sequenceFlow>'
            '<bpmn:sequenceFlow id="f_severe" sourceRef="gw" targetRef="severe" />' +
            bpmn.flows(("f_mild_join", "mild", "join"), ("f_severe_join", "severe", "join"),
                       ("f_review", "join", "review"), ("f_end", "review", "end"),
                       ("f_late", "late", "escalate"), ("f_escalated", "escalate", "end_late")))
    lane = ["start", "ask", "gw", "mild", "severe", "join", "review", "late", "escalate", "end", "end_late"]
    return {"p.bpmn": bpmn.process("choice", body, {"Behandlare": lane})}


ALL_ELEMENTS = {"start", "ask", "gw", "mild", "severe", "join", "review", "late", "escalate", "end", "end_late"}
ALL_FLOWS = {"f_start", "f_ask", "f_mild", "f_severe", "f_mild_join", "f_severe_join", "f_review", "f_end",
             "f_late", "f_escalated"}


def started(publish, *, test: bool = True) -> str:
    engine.clock.freeze(T0)
    outcome = engine.start(publish(choice_package()), engine.SYSTEM, subject_id="r1", is_test=test)
    db.session.commit()
    return outcome.instance_id


def complete(instance_id: str, element_id: str, data: dict) -> None:
    (task,) = [t for t in engine.ready_tasks(instance_id) if t.element_id == element_id]
    engine.complete_task(task.id, engine.SYSTEM, data)
    db.session.commit()


def test_the_package_has_every_flow_node_and_sequence_flow_with_their_names():
    paths = engine.package_paths({k: v.encode() for k, v in choice_package().items()} | {"forms/x.form": b"{}"})
    assert paths.elements == ALL_ELEMENTS
    assert paths.flows == ALL_FLOWS
    assert paths.names["review"] == "Granska" and paths.names["f_mild"] == "Lindrig"
    assert "choice" not in paths.elements and "lane_choice_0" not in paths.elements


def test_a_new_instance_has_taken_the_path_to_its_first_task_only(publish):
    taken = engine.paths_taken(started(publish))
    assert taken.elements == {"start", "ask"}
    assert taken.flows == {"f_start"}


def test_an_exclusive_gateway_takes_only_the_branch_its_condition_chose(publish):
    instance_id = started(publish)
    complete(instance_id, "ask", {"points": 3})
    complete(instance_id, "review", {})

    taken = engine.paths_taken(instance_id)
    assert taken.elements == ALL_ELEMENTS - {"severe", "late", "escalate", "end_late"}
    assert taken.flows == {"f_start", "f_ask", "f_mild", "f_mild_join", "f_review", "f_end"}


def test_the_default_flow_is_taken_when_no_condition_holds(publish):
    instance_id = started(publish)
    complete(instance_id, "ask", {"points": 20})
    taken = engine.paths_taken(instance_id)
    assert {"severe", "join", "review"} <= taken.elements and "mild" not in taken.elements
    assert {"f_severe", "f_severe_join", "f_review"} <= taken.flows and "f_mild" not in taken.flows


def test_an_interrupting_boundary_timer_takes_its_path_and_the_interrupted_task_was_reached(publish):
    instance_id = started(publish)
    complete(instance_id, "ask", {"points": 3})
    engine.clock.freeze(T0 + timedelta(days=3))
    fire_all_due()

    taken = engine.paths_taken(instance_id)
    assert {"review", "late", "escalate"} <= taken.elements
    assert {"f_late"} <= taken.flows and "f_end" not in taken.flows and "end" not in taken.elements
    complete(instance_id, "escalate", {})
    assert "f_escalated" in engine.paths_taken(instance_id).flows


def test_an_unknown_instance_is_not_found(ctx):
    import pytest
    with pytest.raises(engine.NotFound):
        engine.paths_taken("nope")


def test_both_branches_of_a_parallel_gateway_and_both_flows_into_its_join_are_taken(publish):
    body = ('<bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />' +
            bpmn.script_task("left", "a = 1") + bpmn.script_task("right", "b = 2") +
            '<bpmn:parallelGateway id="meet" /><bpmn:endEvent id="end" />' +
            bpmn.flows(("p1", "start", "fork"), ("p2", "fork", "left"), ("p3", "fork", "right"),
                       ("p4", "left", "meet"), ("p5", "right", "meet"), ("p6", "meet", "end")))
    package = {"p.bpmn": bpmn.process("both", body, {"Behandlare": ["start", "fork", "left", "right", "meet", "end"]})}
    instance_id = engine.start(publish(package), engine.SYSTEM, subject_id="r1", is_test=True).instance_id
    taken = engine.paths_taken(instance_id)
    assert taken.elements == {"start", "fork", "left", "right", "meet", "end"}
    assert taken.flows == {"p1", "p2", "p3", "p4", "p5", "p6"}
