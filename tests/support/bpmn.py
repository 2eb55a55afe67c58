"""Builds small BPMN documents for tests: a process with lanes around the snippet under test."""
from __future__ import annotations

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="Defs_{pid}" targetNamespace="http://vardflode.se/test">
"""


def process(pid: str, body: str, lanes: dict[str, list[str]] | None = None, extra: str = "") -> str:
    """A process ``pid`` with ``body`` inside; ``lanes`` maps lane names to flow node ids."""
    lane_xml = ""
    if lanes:
        lane_xml = '<bpmn:laneSet id="ls_%s">' % pid
        for i, (name, refs) in enumerate(lanes.items()):
            refs_xml = "".join(f"<bpmn:flowNodeRef>{r}</bpmn:flowNodeRef>" for r in refs)
            lane_xml += f'<bpmn:lane id="lane_{pid}_{i}" name="{name}">{refs_xml}</bpmn:lane>'
        lane_xml += "</bpmn:laneSet>"
    return (HEADER.format(pid=pid) + extra +
            f'<bpmn:process id="{pid}" isExecutable="true">{lane_xml}{body}</bpmn:process>'
            "</bpmn:definitions>")


def flows(*pairs: tuple[str, str, str]) -> str:
    return "".join(f'<bpmn:sequenceFlow id="{fid}" sourceRef="{a}" targetRef="{b}" />' for fid, a, b in pairs)


def linear(pid: str, middle: str, middle_id: str, lane_nodes: list[str] | None = None,
           lane: str = "Behandlare", extra: str = "") -> str:
    """start -> middle -> end, all in one lane."""
    body = ('<bpmn:startEvent id="start" />' + middle + '<bpmn:endEvent id="end" />' +
            flows(("f1", "start", middle_id), ("f2", middle_id, "end")))
    nodes = ["start", middle_id, "end"] + (lane_nodes or [])
    return process(pid, body, {lane: nodes}, extra)


def user_task(tid: str, form: str | None = None, inner: str = "", name: str | None = None) -> str:
    props = ""
    if form:
        props = ('<bpmn:extensionElements><spiffworkflow:properties>'
                 f'<spiffworkflow:property name="formJsonSchemaFilename" value="{form}" />'
                 '</spiffworkflow:properties></bpmn:extensionElements>')
    return f'<bpmn:userTask id="{tid}" name="{name or tid}">{props}{inner}</bpmn:userTask>'


def script_task(tid: str, script: str) -> str:
    from xml.sax.saxutils import escape
    return f'<bpmn:scriptTask id="{tid}"><bpmn:script>{escape(script)}</bpmn:script></bpmn:scriptTask>'


def timer_event(tid: str, kind: str, value: str) -> str:
    return (f'<bpmn:intermediateCatchEvent id="{tid}"><bpmn:timerEventDefinition id="{tid}_def">'
            f'<bpmn:{kind}>{value}</bpmn:{kind}></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')
