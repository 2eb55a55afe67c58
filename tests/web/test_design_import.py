"""Importing a BPMN file from another tool through the screens: the designer lands on the import
report, which lists each element with what to do instead; the program page links it; the modeler's
live check marks what only the import finds; a broken file is refused on the list page."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from design.models import DesignImportReport, DesignProgram
from engine.db import db
from tests.web.signin import csrf_token, demo  # noqa: F401
from tests.web.test_design_screens import upload

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "miwg"


def imported(demo, name: str):
    client = demo.staff("designer")
    response = upload(client, "/design/nytt/bpmn", "bpmn", name, (SAMPLES / name).read_bytes(),
                      unit=demo.org.publishers["national"].id)
    assert response.status_code == 303, response.text
    assert response.headers["Location"].endswith("/import")
    return client, response.headers["Location"].rsplit("/", 2)[1]


def test_the_designer_lands_on_the_report_of_each_element(demo):
    client, program_id = imported(demo, "camunda_referral.bpmn")
    page = client.get(f"/design/program/{program_id}/import")
    assert page.status_code == 200
    assert 'data-element="Gateway_route"' in page.text and "complex gateway" in page.text
    assert "use an exclusive or inclusive gateway with conditions" in page.text
    assert 'data-element="Lane_intake"' in page.text and "camunda:formKey" in page.text
    assert f"/design/program/{program_id}/modell" in page.text
    assert f"/design/program/{program_id}/import" in client.get(f"/design/program/{program_id}").text


def test_the_modeler_check_adds_what_only_the_import_finds(demo):
    client, program_id = imported(demo, "signavio_onboarding.bpmn")
    xml = (SAMPLES / "signavio_onboarding.bpmn").read_text()
    base = db.session.get(DesignProgram, program_id).head_revision_id
    path = f"/design/program/{program_id}/kontroll"
    response = client.post(path, json={"xml": xml, "based_on": base},
                           headers={"X-CSRFToken": csrf_token(client, f"/design/program/{program_id}/modell")})
    by_element = {}
    for finding in response.json["findings"]:
        by_element.setdefault(finding["element"], []).append(finding["reason"])
    assert any("not a role" in r for r in by_element["sid-lane-hr"])  # the lane itself, for its marker
    assert any("marked not executable" in r for r in by_element["sid-process-onboarding"])
    # The validator's finding on an event's definition, put on the boundary event the diagram draws.
    assert any("compensateEventDefinition" in r for r in by_element["sid-compensate"])
    assert "sid-compensate-def" not in by_element


CLEAN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Definitions_clean" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_clean" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>Flow</bpmn:outgoing></bpmn:startEvent>
    <bpmn:endEvent id="End"><bpmn:incoming>Flow</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow" sourceRef="Start" targetRef="End" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram"><bpmndi:BPMNPlane id="Plane" bpmnElement="Process_clean">
    <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="End_di" bpmnElement="End"><dc:Bounds x="200" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="Flow_di" bpmnElement="Flow"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def test_a_file_the_platform_runs_as_it_is_gets_an_empty_report_and_is_stored_unchanged(demo):
    client = demo.staff("designer")
    response = upload(client, "/design/nytt/bpmn", "bpmn", "ren.bpmn", CLEAN.encode(),
                      unit=demo.org.publishers["national"].id)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and 'data-element="' not in page.text
    assert "Inget i filen behöver åtgärdas" in page.text and "need attention" not in page.text
    program_id = response.headers["Location"].rsplit("/", 2)[1]
    revision = db.session.get(DesignProgram, program_id).head_revision_id
    assert db.session.get(DesignImportReport, revision).entries == []
    exported = client.get(f"/design/program/{program_id}/export/{revision}.zip").data
    with zipfile.ZipFile(io.BytesIO(exported)) as package:
        assert package.read("ren.bpmn") == CLEAN.encode()  # nothing to remove or draw: byte for byte


def test_a_broken_file_is_refused_on_the_list_page_and_nothing_is_stored(demo):
    client = demo.staff("designer")
    response = upload(client, "/design/nytt/bpmn", "bpmn", "trasig.bpmn", b"<definitions><process>",
                      unit=demo.org.publishers["national"].id)
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert "trasig.bpmn" in response.text and "not well-formed XML" in response.text and "line 1" in response.text
    assert db.session.query(DesignProgram).count() == 0 and db.session.query(DesignImportReport).count() == 0


def test_a_program_without_an_import_has_no_report_and_others_cannot_read_one(demo):
    client, program_id = imported(demo, "bpmnio_no_diagram.bpmn")
    blank = client.post("/design/nytt/tomt", data={"name": "Tomt", "csrf_token": csrf_token(client, "/design")})
    blank_id = blank.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/design/program/{blank_id}/import").status_code == 404
    assert f"/design/program/{blank_id}/import" not in client.get(f"/design/program/{blank_id}").text
    assert demo.staff("behandlare").get(f"/design/program/{program_id}/import").status_code == 403
