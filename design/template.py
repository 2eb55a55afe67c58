"""The blank program a designer starts from: the smallest package that validates and runs, so the
first thing they see has no problems to fix. A resident answers one form; the clinician's lane is
there to be drawn in."""
from __future__ import annotations

import json
import re
import unicodedata
from xml.sax.saxutils import quoteattr

_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
                  xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
                  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
                  id="Definitions_{key}" targetNamespace="http://vardflode.se/programs">
  <bpmn:collaboration id="Collaboration_{key}">
    <bpmn:participant id="Participant_{key}" name={name} processRef="{key}" />
  </bpmn:collaboration>
  <bpmn:process id="{key}" name={name} isExecutable="true">
    <bpmn:laneSet id="LaneSet_{key}">
      <bpmn:lane id="Lane_invanare" name="Invånare">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>first_answer</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Lane_behandlare" name="Behandlare" />
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="Start"><bpmn:outgoing>flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="first_answer" name="Första frågan">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="first_answer.form" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>flow_1</bpmn:incoming><bpmn:outgoing>flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="Klart"><bpmn:incoming>flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="flow_1" sourceRef="start" targetRef="first_answer" />
    <bpmn:sequenceFlow id="flow_2" sourceRef="first_answer" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_{key}">
    <bpmndi:BPMNPlane id="Plane_{key}" bpmnElement="Collaboration_{key}">
      <bpmndi:BPMNShape id="Participant_{key}_di" bpmnElement="Participant_{key}" isHorizontal="true">
        <dc:Bounds x="120" y="80" width="600" height="250" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Lane_invanare_di" bpmnElement="Lane_invanare" isHorizontal="true">
        <dc:Bounds x="150" y="80" width="570" height="125" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Lane_behandlare_di" bpmnElement="Lane_behandlare" isHorizontal="true">
        <dc:Bounds x="150" y="205" width="570" height="125" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="200" y="124" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="first_answer_di" bpmnElement="first_answer"><dc:Bounds x="300" y="102" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="480" y="124" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="flow_1_di" bpmnElement="flow_1"><di:waypoint x="236" y="142" /><di:waypoint x="300" y="142" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="flow_2_di" bpmnElement="flow_2"><di:waypoint x="400" y="142" /><di:waypoint x="480" y="142" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""

_FORM = {"type": "default", "id": "first_answer", "schemaVersion": 19, "components": [
    {"id": "c_wellbeing", "key": "wellbeing", "type": "textarea", "label": "Hur mår du just nu?",
     "validate": {"required": True}}]}


def program_key(name: str) -> str:
    """A program id from its name ("Sömn för unga" -> "somn_for_unga"), as program.json wants it."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    key = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:60]
    return key if key and key[0].isalpha() else f"program_{key}".rstrip("_")


def blank(name: str) -> dict[str, bytes]:
    key = program_key(name)
    metadata = {"id": key, "version": "0.1", "name": name, "main_process": key, "kind": "treatment",
                "languages": ["sv"], "journal_items": []}
    return {
        "program.json": (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode(),
        f"{key}.bpmn": _BPMN.format(key=key, name=quoteattr(name)).encode(),
        "forms/first_answer.form": (json.dumps(_FORM, ensure_ascii=False, indent=2) + "\n").encode(),
    }
