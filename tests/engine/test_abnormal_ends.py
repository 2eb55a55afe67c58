"""How a process ends at a terminate end event or an error nobody catches (BPMN: abnormally, the
platform's ``cancelled``), and how often a looped or multi-instance step is in the history."""
from __future__ import annotations

from datetime import datetime, timezone

import engine
from engine.db import db
from tests.conftest import actor
from tests.support import bpmn

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
RESIDENT = actor("r1", "invanare")
CLINICIAN = actor("c1", "behandlare")
ERROR = '<bpmn:error id="Error_consent" name="no_consent" errorCode="no_consent" />'


def start(version):
    engine.clock.freeze(T0)
    outcome = engine.start(version, engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1")
    db.session.commit()
    return outcome.instance_id


def complete(instance_id, element_id, who, data=None):
    task = next(t for t in engine.ready_tasks(instance_id) if t.element_id == element_id)
    engine.complete_task(task.id, who, data or {})
    db.session.commit()


def ended_at(instance_id, element_id):
    """The ``detail`` of the end event's ``completed`` event: why the process ended there."""
    return [e.detail for e in engine.history(instance_id) if (e.kind, e.element_id) == ("completed", element_id)]


def forked(end_all: str, lane_extra=()) -> str:
    """start → fork → (drop_out, clinician → end_all) and (homework, resident → end_homework)."""
    body = ('<bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />' +
            bpmn.user_task("drop_out") + end_all + bpmn.user_task("homework") +
            '<bpmn:endEvent id="end_homework" />' +
            bpmn.flows(("f1", "start", "fork"), ("f2", "fork", "drop_out"), ("f3", "drop_out", "end_all"),
                       ("f4", "fork", "homework"), ("f5", "homework", "end_homework")))
    return bpmn.process("p", body, {"Behandlare": ["start", "fork", "drop_out", "end_all", *lane_extra],
                                    "Invånare": ["homework", "end_homework"]}, extra=ERROR)


def test_a_terminate_end_event_cancels_the_instance_and_its_open_steps(publish):
    terminate = '<bpmn:endEvent id="end_all"><bpmn:terminateEventDefinition /></bpmn:endEvent>'
    instance_id = start(publish({"p.bpmn": forked(terminate)}))
    complete(instance_id, "drop_out", CLINICIAN)
    assert engine.instance(instance_id).status == "cancelled"
    assert engine.ready_tasks(instance_id) == []  # the resident's homework is gone from their list
    assert ended_at(instance_id, "end_all") == ["terminated"]


def test_an_uncaught_error_end_event_cancels_the_instance_and_names_the_error(publish):
    error_end = '<bpmn:endEvent id="end_all"><bpmn:errorEventDefinition errorRef="Error_consent" /></bpmn:endEvent>'
    instance_id = start(publish({"p.bpmn": forked(error_end)}))
    complete(instance_id, "drop_out", CLINICIAN)
    assert engine.instance(instance_id).status == "cancelled"
    assert engine.ready_tasks(instance_id) == []  # BPMN: the process ends, the other branch too
    assert ended_at(instance_id, "end_all") == ["uncaught error no_consent"]


def in_subprocess(end_inside: str) -> str:
    """A subprocess (ask → end_inside) followed by after (clinician) → end."""
    inner = ('<bpmn:startEvent id="s_start" />' + bpmn.user_task("ask") + end_inside +
             bpmn.flows(("s1", "s_start", "ask"), ("s2", "ask", "s_end")))
    body = ('<bpmn:startEvent id="start" />' + f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>' +
            bpmn.user_task("after") + '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "sub"), ("f2", "sub", "after"), ("f3", "after", "end")))
    return bpmn.process("p", body, {"Behandlare": ["start", "sub", "s_start", "ask", "s_end", "after", "end"]},
                        extra=ERROR)


def test_an_error_nobody_catches_in_a_subprocess_ends_the_whole_process(publish):
    error_end = '<bpmn:endEvent id="s_end"><bpmn:errorEventDefinition errorRef="Error_consent" /></bpmn:endEvent>'
    instance_id = start(publish({"p.bpmn": in_subprocess(error_end)}))
    complete(instance_id, "ask", CLINICIAN)
    assert engine.instance(instance_id).status == "cancelled"
    assert engine.ready_tasks(instance_id) == []  # the step after the subprocess never opens
    assert ended_at(instance_id, "s_end") == ["uncaught error no_consent"]


def test_a_terminate_end_event_in_a_subprocess_ends_only_the_subprocess(publish):
    terminate = '<bpmn:endEvent id="s_end"><bpmn:terminateEventDefinition /></bpmn:endEvent>'
    instance_id = start(publish({"p.bpmn": in_subprocess(terminate)}))
    complete(instance_id, "ask", CLINICIAN)
    assert [t.element_id for t in engine.ready_tasks(instance_id)] == ["after"]
    complete(instance_id, "after", CLINICIAN)
    assert engine.instance(instance_id).status == "completed"


def completed_count(instance_id, element_id):
    return sum(1 for e in engine.history(instance_id) if (e.kind, e.element_id) == ("completed", element_id))


def looped(marker: str) -> str:
    return bpmn.linear("p", bpmn.user_task("diary", inner=marker), "diary", lane="Invånare")


def test_a_looped_step_is_in_the_history_once_per_answer(publish):
    loop = ('<bpmn:standardLoopCharacteristics loopMaximum="3">'
            '<bpmn:loopCondition>True</bpmn:loopCondition></bpmn:standardLoopCharacteristics>')
    instance_id = start(publish({"p.bpmn": looped(loop)}))
    for _ in range(3):
        complete(instance_id, "diary", RESIDENT)
    assert engine.instance(instance_id).status == "completed"
    assert completed_count(instance_id, "diary") == 3


def test_a_multi_instance_step_is_in_the_history_once_per_instance(publish):
    marker = ('<bpmn:multiInstanceLoopCharacteristics isSequential="true">'
              '<bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>')
    instance_id = start(publish({"p.bpmn": looped(marker)}))
    for _ in range(2):
        complete(instance_id, "diary", RESIDENT)
    assert engine.instance(instance_id).status == "completed"
    assert completed_count(instance_id, "diary") == 2
