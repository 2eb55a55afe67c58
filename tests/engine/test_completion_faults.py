"""Completing a step runs under the same incident rule as every other step (issue 16, item 5),
and a sequential multi-instance without an output collection is refused before it runs (item 3)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import engine
from engine.db import db
from tests.conftest import actor
from tests.engine.test_runtime import complete, only_task, start
from tests.support import bpmn

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
RESIDENT = actor("r1", "invanare")


def program(task_xml: str, setup: str = "items = ['sleep', 'walk', 'read']") -> dict:
    body = ('<bpmn:startEvent id="start" />' + bpmn.script_task("setup", setup) + task_xml +
            '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f0", "start", "setup"), ("f1", "setup", "t"), ("f2", "t", "end")))
    return {"p.bpmn": bpmn.process("p", body, {"Invånare": ["start", "setup", "t", "end"]})}


def post_script(script: str) -> str:
    return f'<bpmn:extensionElements><spiffworkflow:postScript>{script}</spiffworkflow:postScript></bpmn:extensionElements>'


def multi_instance(sequential: bool, output: bool) -> str:
    out = ('<bpmn:loopDataOutputRef>ratings</bpmn:loopDataOutputRef>' if output else '')
    out_item = '<bpmn:outputDataItem id="rating" name="rating" />' if output else ''
    return (f'<bpmn:userTask id="t"><bpmn:multiInstanceLoopCharacteristics isSequential="{str(sequential).lower()}">'
            f'<bpmn:loopDataInputRef>items</bpmn:loopDataInputRef>{out}'
            f'<bpmn:inputDataItem id="item" name="item" />{out_item}'
            '</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>')


FAILING_COMPLETIONS = {
    "post_script": bpmn.user_task("t", inner=post_script("ratio = 10 / count")),
    "loop_condition": ('<bpmn:userTask id="t"><bpmn:standardLoopCharacteristics loopMaximum="3">'
                       '<bpmn:loopCondition>10 / count == 1</bpmn:loopCondition>'
                       '</bpmn:standardLoopCharacteristics></bpmn:userTask>'),
    "completion_condition": ('<bpmn:userTask id="t"><bpmn:multiInstanceLoopCharacteristics isSequential="true">'
                             '<bpmn:loopCardinality>3</bpmn:loopCardinality>'
                             '<bpmn:completionCondition>10 / count == 1</bpmn:completionCondition>'
                             '</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>'),
}


@pytest.mark.parametrize("shape", list(FAILING_COMPLETIONS))
def test_a_fault_while_a_step_completes_is_an_incident_at_the_step_and_the_answers_are_kept(shape, publish):
    outcome = start(publish(program(FAILING_COMPLETIONS[shape])))
    done = complete(only_task(outcome.instance_id), RESIDENT, {"count": 0, "mood": "calm"})
    instance = engine.instance(outcome.instance_id)
    assert (done.status, instance.status, instance.incident_element) == ("incident", "incident", "t")
    assert "ZeroDivisionError" in instance.incident_message
    assert engine.ready_tasks(outcome.instance_id) == []  # nobody is asked to send it again
    sent = engine.instance_progress(outcome.instance_id).completed
    assert [(s.element_id, s.data.get("mood")) for s in sent] == [("t", "calm")]  # shown as sent, answers kept


def test_retry_runs_the_failed_step_again_with_the_answers_it_was_sent_with(publish):
    engine.clock.freeze(T0)
    # Fails on the day the step opened (a division by zero days), succeeds a day later.
    task = bpmn.user_task("t", inner=post_script("per_day = 10 / days_between(opened, today())"))
    outcome = start(publish(program(task, setup="opened = today()")))
    complete(only_task(outcome.instance_id), RESIDENT, {"mood": "calm"})
    assert engine.instance(outcome.instance_id).status == "incident"

    engine.clock.advance(timedelta(days=1))
    retried = engine.retry_incident(outcome.instance_id, actor("a1", "admin"))
    db.session.commit()
    assert retried.status == "completed"  # not back on the resident's list to fill in again
    steps = engine.instance_progress(outcome.instance_id).completed
    assert [(s.element_id, s.data.get("mood"), s.data.get("per_day")) for s in steps] == [("t", "calm", 10)]


def test_a_sequential_multi_instance_without_an_output_collection_is_refused_with_the_element(publish):
    with pytest.raises(engine.ValidationFailed) as refused:
        publish(program(multi_instance(sequential=True, output=False)))
    reasons = [(p.element_id, p.reason) for p in refused.value.problems]
    assert any(element == "t" and "output collection" in reason for element, reason in reasons), reasons


@pytest.mark.parametrize("sequential", [True, False])
def test_multi_instance_with_an_output_collection_collects_each_items_answer(sequential, publish):
    outcome = start(publish(program(multi_instance(sequential, output=True))))
    for rating in (1, 2, 3):
        task = engine.ready_tasks(outcome.instance_id)[0]
        complete(task, RESIDENT, {"rating": rating})
    assert engine.instance(outcome.instance_id).status == "completed"
