"""An event subprocess is armed only while the rest of its process is active (BPMN): once the
process's flow has ended, a timer start that has not fired is disarmed and the process completes;
an event subprocess that has started is waited for."""
from __future__ import annotations

from datetime import timedelta

import engine
from tests.engine.test_boundary_branches import at, open_tasks
from tests.engine.test_runtime import RESIDENT, T0, complete, start
from tests.support import bpmn

DAY = timedelta(days=1)
REMINDER = ('<bpmn:subProcess id="reminder" triggeredByEvent="true">'
            '<bpmn:startEvent id="remind_start" isInterrupting="false"><bpmn:timerEventDefinition>'
            '<bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>'
            + bpmn.user_task("read_reminder") + '<bpmn:endEvent id="remind_end" />'
            + bpmn.flows(("r1", "remind_start", "read_reminder"), ("r2", "read_reminder", "remind_end"))
            + '</bpmn:subProcess>')
LANE = ["start", "diary", "end", "reminder"]


def diary_with_reminder() -> dict:
    """A diary with an event subprocess that reminds of it after 3 days (non-interrupting)."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("diary") + '<bpmn:endEvent id="end" />'
            + REMINDER + bpmn.flows(("f1", "start", "diary"), ("f2", "diary", "end")))
    return {"p.bpmn": bpmn.process("diary_p", body, {"Invånare": LANE})}


def reminder_inside_a_subprocess() -> dict:
    """The same diary and reminder in an embedded subprocess, then a step after it."""
    inner = ('<bpmn:subProcess id="week"><bpmn:startEvent id="start" />' + bpmn.user_task("diary")
             + '<bpmn:endEvent id="end" />' + REMINDER
             + bpmn.flows(("f1", "start", "diary"), ("f2", "diary", "end")) + '</bpmn:subProcess>')
    body = ('<bpmn:startEvent id="outer_start" />' + inner + bpmn.user_task("after")
            + '<bpmn:endEvent id="outer_end" />'
            + bpmn.flows(("o1", "outer_start", "week"), ("o2", "week", "after"), ("o3", "after", "outer_end")))
    return {"p.bpmn": bpmn.process("week_p", body, {"Invånare": ["outer_start", "week", "after", "outer_end"]})}


def status(instance_id) -> str:
    return engine.instance(instance_id).status


def test_the_diary_sent_in_time_ends_the_instance_and_the_reminder_never_comes(publish):
    engine.clock.freeze(T0)
    instance_id = start(publish(diary_with_reminder())).instance_id
    at(T0 + DAY)
    complete(open_tasks(instance_id, "diary")[0], RESIDENT, {"entry": "sent"})
    assert status(instance_id) == "completed"
    at(T0 + 4 * DAY)
    assert open_tasks(instance_id, "read_reminder") == []
    assert not any(e.element_id == "remind_start" for e in engine.history(instance_id))


def test_a_reminder_that_has_come_is_waited_for_after_the_diary(publish):
    engine.clock.freeze(T0)
    instance_id = start(publish(diary_with_reminder())).instance_id
    at(T0 + 3 * DAY + timedelta(seconds=1))
    complete(open_tasks(instance_id, "diary")[0], RESIDENT, {"entry": "sent"})
    assert status(instance_id) == "running"  # the started event subprocess runs to its end
    complete(open_tasks(instance_id, "read_reminder")[0], RESIDENT)
    assert status(instance_id) == "completed"


def test_an_event_subprocess_of_an_embedded_subprocess_is_disarmed_when_that_subprocess_ends(publish):
    engine.clock.freeze(T0)
    instance_id = start(publish(reminder_inside_a_subprocess())).instance_id
    complete(open_tasks(instance_id, "diary")[0], RESIDENT, {"entry": "sent"})
    assert len(open_tasks(instance_id, "after")) == 1  # the subprocess ended and the flow went on
    at(T0 + 4 * DAY)
    assert open_tasks(instance_id, "read_reminder") == []
    complete(open_tasks(instance_id, "after")[0], RESIDENT)
    assert status(instance_id) == "completed"
