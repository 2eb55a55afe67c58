"""A BPMN file from another tool becomes a draft with a report per element of what the platform does
not run and what to do instead; broken or hostile XML is refused with a message, nothing stored."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

import design
import engine
from design.models import DesignImportReport, DesignProgram
from engine.db import db
from tests.design.support import designer

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "miwg"
DI = "http://www.omg.org/spec/BPMN/20100524/DI"


def _bounds(shape) -> tuple[float, ...]:
    bounds = shape[0]
    return tuple(float(bounds.get(k)) for k in ("x", "y", "width", "height"))


def _imported(org, name: str):
    dana = designer(org.publisher)
    program = design.import_bpmn(dana, org.publisher, name, (SAMPLES / name).read_bytes())
    report = design.import_report_of(dana, program.id)
    return dana, program, {entry["element"]: entry for entry in report.entries}


def _says(entry: dict, *words: str) -> bool:
    return any(all(word in finding for word in words) for finding in entry["findings"])


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.bpmn")))
def test_each_sample_becomes_a_draft_with_a_report_kept_with_its_first_revision(org, name):
    dana, program, entries = _imported(org, name)
    assert entries, "every sample has something the platform does not run"
    kept = db.session.get(DesignImportReport, program.head_revision_id)
    assert kept is not None and kept.program_id == program.id and kept.source_name == name
    files = design.files(dana, program.id)
    assert sorted(files) == sorted([name, "program.json"])
    assert json.loads(files["program.json"])["name"] == Path(name).stem


def test_the_camunda_sample_names_what_it_cannot_run_and_what_to_do_instead(org):
    dana, program, entries = _imported(org, "camunda_referral.bpmn")
    assert entries["Gateway_route"]["kind"] == "complex gateway"
    assert _says(entries["Gateway_route"], "complexGateway", "use an exclusive or inclusive gateway with conditions")
    assert _says(entries["Activity_triage"], "businessRuleTask", "decide with conditions")
    assert _says(entries["Activity_send_referral"], "serviceTask")
    assert _says(entries["Activity_send_referral"], "camunda:class", "no Java or outside code")
    assert _says(entries["Activity_register"], "camunda:formKey", "choose the form in the task's properties")
    assert _says(entries["Activity_register"], "camunda:assignee", "lane of the role")
    assert _says(entries["Lane_intake"], "lane 'Intake department': not a role", "Invånare, Behandlare")
    assert "Lane_behandlare" not in entries  # a lane named after a role is fine
    assert _says(entries["Participant_specialist"], "never start")
    assert _says(entries["MessageFlow_referral"], "a drawing only")
    assert _says(entries["Flow_urgent"], "another engine", 'e.g. priority == "akut"')
    assert _says(entries["DataStoreReference_journal"], "dataStoreReference", "delete the data store")
    assert _says(entries["Activity_archive"], "not on the diagram")
    # The other tool's settings are gone from the draft; everything drawn is still there.
    bpmn = design.files(dana, program.id)["camunda_referral.bpmn"].decode()
    assert "camunda:formKey" not in bpmn and "camunda:inputOutput" not in bpmn
    assert 'id="Gateway_route"' in bpmn and 'id="Activity_triage"' in bpmn and 'bpmnElement="Gateway_route"' in bpmn
    assert json.loads(design.files(dana, program.id)["program.json"])["main_process"] == "Process_referral"


def test_the_signavio_sample_flags_transaction_compensation_ad_hoc_and_not_executable(org):
    _dana, _program, entries = _imported(org, "signavio_onboarding.bpmn")
    assert _says(entries["sid-process-onboarding"], "marked not executable", "mark it executable")
    assert _says(entries["sid-transaction"], "transaction", "embedded subprocess")
    # Event definitions are not drawn: their findings go to the boundary event that holds them.
    assert entries["sid-compensate"]["kind"] == "boundary event (compensate)"
    assert _says(entries["sid-compensate"], "compensateEventDefinition")
    assert _says(entries["sid-cancelled"], "cancelEventDefinition")
    assert _says(entries["sid-adhoc"], "adHocSubProcess")
    assert _says(entries["sid-lane-hr"], "lane 'HR Department': not a role")
    # Signavio's metadata on every element is one line for the file, not one per element.
    assert _says(entries["(document)"], "signavio:signavioMetaData", "removed on import from 5 elements")
    assert not any(_says(e, "signavioMetaData") for key, e in entries.items() if key != "(document)")


def test_a_file_without_a_diagram_is_laid_out_and_says_so(org):
    dana, program, entries = _imported(org, "bpmnio_no_diagram.bpmn")
    assert _says(entries["(document)"], "no diagram (DI) in the file", "laid out automatically")
    root = engine.parse_xml(design.files(dana, program.id)["bpmnio_no_diagram.bpmn"]).getroot()
    drawn = {el.get("bpmnElement"): el for el in root.iter(f"{{{DI}}}BPMNShape", f"{{{DI}}}BPMNEdge")}
    assert set(drawn) == {"StartEvent_1", "Activity_questionnaire", "Event_goto_end", "Event_from_link",
                          "EndEvent_1", "Flow_a", "Flow_b", "Flow_c"}
    start, task = (_bounds(drawn[key]) for key in ("StartEvent_1", "Activity_questionnaire"))
    assert start[0] + start[2] < task[0], "the flow reads from left to right"
    assert not any(_says(e, "not on the diagram") for e in entries.values())
    assert _says(entries["Event_goto_end"], "linkEventDefinition", "sequence flow")
    assert _says(entries["Activity_questionnaire"], "in no lane")


@pytest.mark.parametrize("data, words", [
    (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>', "DOCTYPE"),
    (b"<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'><bpmn:process id='p'>",
     "not well-formed XML"),
    ("<definitions>åäö</definitions>".encode("latin-1"), "not UTF-8"),
])
def test_broken_or_hostile_xml_is_refused_with_a_message_and_nothing_stored(org, data, words):
    with pytest.raises(design.DesignError) as refused:
        design.import_bpmn(designer(org.publisher), org.publisher, "fran_annat_verktyg.bpmn", data)
    assert refused.value.file == "fran_annat_verktyg.bpmn" and words in str(refused.value)
    assert db.session.scalar(select(func.count()).select_from(DesignProgram)) == 0
    assert db.session.scalar(select(func.count()).select_from(DesignImportReport)) == 0


def test_a_program_made_another_way_has_no_import_report(org):
    dana = designer(org.publisher)
    program = design.create_blank(dana, org.publisher, "Tomt")
    assert design.import_report_of(dana, program.id) is None


def test_a_file_saved_as_xml_is_imported_as_bpmn(org):
    dana = designer(org.publisher)
    data = (SAMPLES / "bpmnio_no_diagram.bpmn").read_bytes()
    program = design.import_bpmn(dana, org.publisher, "export.XML", data)
    assert sorted(design.files(dana, program.id)) == ["export.bpmn", "program.json"]


def test_pools_and_lanes_without_a_diagram_are_laid_out_as_bands(org):
    dana = designer(org.publisher)
    text = (SAMPLES / "camunda_referral.bpmn").read_text()
    without_di = re.sub(r"<bpmndi:BPMNDiagram.*</bpmndi:BPMNDiagram>", "", text, flags=re.S).encode()
    program = design.import_bpmn(dana, org.publisher, "utan_diagram.bpmn", without_di)
    root = engine.parse_xml(design.files(dana, program.id)["utan_diagram.bpmn"]).getroot()
    drawn = {el.get("bpmnElement"): _bounds(el) for el in root.iter(f"{{{DI}}}BPMNShape")}

    def inside(inner, outer):
        return (outer[0] <= inner[0] and inner[0] + inner[2] <= outer[0] + outer[2]
                and outer[1] <= inner[1] and inner[1] + inner[3] <= outer[1] + outer[3])

    assert inside(drawn["Lane_intake"], drawn["Participant_clinic"])
    assert inside(drawn["Gateway_route"], drawn["Lane_intake"])
    assert inside(drawn["Activity_review"], drawn["Lane_behandlare"])
    assert inside(drawn["Activity_specialist_answer"], drawn["Participant_specialist"])
    assert drawn["Participant_specialist"][1] >= drawn["Participant_clinic"][1] + drawn["Participant_clinic"][3]
    report = {e["element"]: e for e in design.import_report_of(dana, program.id).entries}
    assert not any(_says(e, "not on the diagram") for e in report.values())
