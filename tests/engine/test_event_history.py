"""Every event that fires is recorded in the history the same way (issue 16), behind an
event-based gateway too, where SpiffWorkflow moves the event's definition to the gateway."""
from __future__ import annotations

from datetime import timedelta

import engine
from engine.db import db
from tests.engine.test_timer_index import T0, catch, gateway_program, move_to, start, throwing_at_end_b
from tests.support import bpmn

EXTRA = '<bpmn:signal id="sig" name="answered" /><bpmn:message id="msg" name="vardflode.action.replied" />'
SIGNAL = '<bpmn:signalEventDefinition id="sd" signalRef="sig" />'
MESSAGE = '<bpmn:messageEventDefinition id="md" messageRef="msg" />'


def throwing_at_end(doc: str) -> str:
    """The end throws the signal only so validate accepts the signal wait (a signal nothing in the
    package throws is refused); the test sends it from outside before the end is reached."""
    throw = '<bpmn:endEvent id="end"><bpmn:signalEventDefinition id="se" signalRef="sig" /></bpmn:endEvent>'
    return doc.replace('<bpmn:endEvent id="end" />', throw)


def kinds(instance_id, *elements) -> list[tuple]:
    """(kind, element or detail) of the history events about ``elements`` or with no element."""
    return [(e.kind, e.element_id or e.detail) for e in engine.history(instance_id)
            if e.element_id in elements or (e.element_id is None and e.detail)]


def test_a_timer_that_wins_behind_a_gateway_is_a_timer_fired_event_at_its_own_element(publish):
    engine.clock.freeze(T0)
    version = publish(gateway_program(bpmn.timer_event("a", "timeDuration", "P7D"),
                                      bpmn.timer_event("b", "timeDuration", "P14D")))
    instance_id = start(version)
    move_to(T0 + timedelta(days=7, seconds=1))
    assert kinds(instance_id, "a", "b") == [("timer_fired", "a")]


def test_a_timer_behind_a_gateway_is_recorded_like_a_timer_anywhere_else(publish):
    engine.clock.freeze(T0)
    alone = start(publish({"p.bpmn": bpmn.linear("tl", bpmn.timer_event("a", "timeDuration", "P7D"), "a")}))
    raced = start(publish(throwing_at_end_b(gateway_program(bpmn.timer_event("a", "timeDuration", "P7D"),
                                                            catch("b", SIGNAL), EXTRA))))
    move_to(T0 + timedelta(days=8))
    assert kinds(raced, "a") == kinds(alone, "a") == [("timer_fired", "a")]


def test_a_message_or_signal_caught_behind_a_gateway_is_recorded_like_one_caught_alone(publish):
    engine.clock.freeze(T0)
    for definition, send, received in (
            (MESSAGE, lambda: engine.deliver_message("vardflode.action.replied", {}), ("message_received", "vardflode.action.replied")),
            (SIGNAL, lambda: engine.send_signal("answered"), ("signal_received", "answered"))):
        alone = start(publish({"p.bpmn": throwing_at_end(bpmn.linear("ml", catch("a", definition), "a", extra=EXTRA))}))
        raced = start(publish(throwing_at_end_b(gateway_program(catch("a", definition),
                                                                bpmn.timer_event("b", "timeDuration", "P7D"), EXTRA))))
        send()
        db.session.commit()
        assert kinds(raced, "a", "b") == kinds(alone, "a", "b") == [received, ("completed", "a")]
        assert engine.instance(raced).status == "completed"
