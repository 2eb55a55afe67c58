"""engine.package_expressions: every place the engine evaluates designer text, listed by element
for the publisher's review, with the data names each reads (parsed, never run)."""
from __future__ import annotations

import engine

BPMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:scriptTask id="calc" name="R\xc3\xa4kna"><bpmn:script>total = q1 + q2
flag = total &gt; limit</bpmn:script></bpmn:scriptTask>
    <bpmn:intermediateCatchEvent id="wait" name="En vecka">
      <bpmn:timerEventDefinition id="TimerEventDefinition_1"><bpmn:timeDuration>P7D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="wait_more">
      <bpmn:timerEventDefinition id="TimerEventDefinition_2"><bpmn:timeDuration>duration(days=wait_days)</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f" sourceRef="calc" targetRef="wait">
      <bpmn:conditionExpression>score('phq9')["total"] &gt; 9 and len([x for x in answers if x])</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>"""


def test_every_expression_is_listed_by_element_with_what_it_reads():
    found = engine.package_expressions({"p.bpmn": BPMN, "forms/x.form": b"{}"})
    assert [(e.element_id, e.element_name, e.place) for e in found] == [
        ("calc", "Räkna", "script"), ("wait", "En vecka", "timeDuration"),
        ("wait_more", "", "timeDuration"), ("f", "", "conditionExpression")]
    reads = {e.element_id: e.reads for e in found}
    assert reads["calc"] == {"q1", "q2", "limit"}  # total is the script's own
    assert reads["wait"] == frozenset()  # a plain ISO value
    assert reads["wait_more"] == {"wait_days"}  # duration() is a helper, not data
    assert reads["f"] == {"answers"}


def test_a_file_the_parser_refuses_adds_nothing():
    assert engine.package_expressions({"bad.bpmn": b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'}) == []
