"""A conditional catch event fires when its condition becomes true in the process's data (BPMN),
also when another parallel branch made it true; SpiffWorkflow 3.2.0 only looks at the waiting
branch's own copy of the data, once (engine/conditional.py)."""
from __future__ import annotations

from pathlib import Path

import engine
from tests.engine.test_runtime import CLINICIAN, RESIDENT, T0, complete, start
from tests.support import bpmn

CONSTRUCT = Path(__file__).resolve().parent.parent / "constructs" / "conditional_event_from_another_branch"


def open_task(instance_id, element_id):
    tasks = [t for t in engine.ready_tasks(instance_id) if t.element_id == element_id]
    assert len(tasks) == 1, engine.ready_tasks(instance_id)
    return tasks[0]


def test_an_answer_on_another_branch_fires_the_waiting_condition(publish):
    engine.clock.freeze(T0)
    instance_id = start(publish(CONSTRUCT)).instance_id
    complete(open_task(instance_id, "rate"), RESIDENT, {"mood": 2})

    assert engine.instance(instance_id).status == "running"
    complete(open_task(instance_id, "call_resident"), CLINICIAN)
    assert engine.instance(instance_id).status == "completed"


def test_an_answer_that_keeps_it_false_is_still_a_stall(publish):
    engine.clock.freeze(T0)
    instance_id = start(publish(CONSTRUCT)).instance_id
    complete(open_task(instance_id, "rate"), RESIDENT, {"mood": 8})

    instance = engine.instance(instance_id)
    assert (instance.status, instance.incident_element) == ("incident", "mood_low")


def two_writers() -> dict:
    """Both branches write ``mood``: the resident rates it, the clinician's check sets it too,
    and only then does the clinician's branch wait for ``mood <= 3``."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.script_task("setup", "mood = 10") +
            '<bpmn:parallelGateway id="fork" />' + bpmn.user_task("rate") + bpmn.user_task("check") +
            '<bpmn:intermediateCatchEvent id="mood_low"><bpmn:conditionalEventDefinition>'
            '<bpmn:condition>mood &lt;= 3</bpmn:condition></bpmn:conditionalEventDefinition>'
            '</bpmn:intermediateCatchEvent>' + bpmn.user_task("call_resident") +
            '<bpmn:endEvent id="end_rated" /><bpmn:endEvent id="end_called" />' +
            bpmn.flows(("f1", "start", "setup"), ("f2", "setup", "fork"), ("f3", "fork", "rate"),
                       ("f4", "rate", "end_rated"), ("f5", "fork", "check"), ("f6", "check", "mood_low"),
                       ("f7", "mood_low", "call_resident"), ("f8", "call_resident", "end_called")))
    lanes = {"Invånare": ["start", "setup", "fork", "rate", "end_rated"],
             "Behandlare": ["check", "mood_low", "call_resident", "end_called"]}
    return {"p.bpmn": bpmn.process("two_writers", body, lanes)}


def test_the_later_write_wins_even_at_the_same_instant(publish):
    """The clock is frozen, so both answers carry the same time: the engine's own order decides."""
    engine.clock.freeze(T0)
    version = publish(two_writers())
    later_low = start(version).instance_id
    complete(open_task(later_low, "check"), CLINICIAN, {"mood": 9})
    complete(open_task(later_low, "rate"), RESIDENT, {"mood": 2})
    assert open_task(later_low, "call_resident")

    later_high = start(version).instance_id
    complete(open_task(later_high, "rate"), RESIDENT, {"mood": 2})
    complete(open_task(later_high, "check"), CLINICIAN, {"mood": 9})
    assert engine.instance(later_high).incident_element == "mood_low"


def test_the_branch_goes_on_with_the_data_that_fired_it(publish):
    engine.clock.freeze(T0)
    instance_id = start(publish(CONSTRUCT)).instance_id
    complete(open_task(instance_id, "rate"), RESIDENT, {"mood": 2})
    complete(open_task(instance_id, "call_resident"), CLINICIAN)
    done = [t for t in engine.instance_progress(instance_id).completed if t.element_id == "call_resident"]
    assert done and done[0].data.get("mood") == 2
