"""A step whose completion fails in designer logic (here a postScript) puts the program in incident
at that step; the resident who sent it gets a plain receipt that says so, never a 500, and what
they answered is kept and can be seen."""
from __future__ import annotations

import json

from sqlalchemy import select

import engine
from engine.db import db
from engine.models import HumanTask
from tests.support import bpmn
from tests.web.signin import demo, post, sign_in_resident  # noqa: F401

POST_SCRIPT = '<spiffworkflow:postScript>per_hour = 10 / hours</spiffworkflow:postScript>'
FORM = {"type": "default", "id": "sleep", "schemaVersion": 19, "components": [
    {"id": "c_hours", "key": "hours", "type": "number", "label": "Timmar sömn", "validate": {"required": True}}]}


def failing_post_script() -> dict:
    task = ('<bpmn:userTask id="diary" name="Sömndagbok"><bpmn:extensionElements><spiffworkflow:properties>'
            '<spiffworkflow:property name="formJsonSchemaFilename" value="sleep.form" /></spiffworkflow:properties>'
            f'{POST_SCRIPT}</bpmn:extensionElements></bpmn:userTask>')
    body = ('<bpmn:startEvent id="start" />' + task +
            '<bpmn:endEvent id="end" />' + bpmn.flows(("f1", "start", "diary"), ("f2", "diary", "end")))
    return {"p.bpmn": bpmn.process("post_fail", body, {"Invånare": ["start", "diary", "end"]}),
            "forms/sleep.form": json.dumps(FORM)}


def test_a_failing_post_script_gives_the_resident_a_plain_receipt_and_the_program_an_incident(demo, publish):
    resident = demo.resident("anna")
    outcome = engine.start(publish(failing_post_script()), engine.SYSTEM, unit_id=demo.org.units["nord"].id,
                           subject_id=resident.id, owner_id=demo.org.staff["behandlare"].id)
    db.session.commit()
    task_id = db.session.scalar(select(HumanTask.id).where(HumanTask.instance_id == outcome.instance_id))
    client = sign_in_resident(demo.client(), resident.id)

    response = post(client, f"/mina-uppgifter/{task_id}", {"hours": "0"})
    assert response.status_code == 302
    receipt = client.get(response.headers["Location"])
    assert receipt.status_code == 200
    assert "Programmet stannade vid ett steg som behöver en administratör" in receipt.text
    assert "Ditt svar är sparat" in receipt.text and "Traceback" not in receipt.text

    instance = engine.instance(outcome.instance_id)
    assert (instance.status, instance.incident_element) == ("incident", "diary")
    assert "ZeroDivisionError" in instance.incident_message
    assert outcome.instance_id in {i.id for i in engine.incidents()}  # the administrators' list, with retry
    answered = client.get(f"/mina-program/{outcome.instance_id}/steg/{task_id}")
    assert answered.status_code == 200 and "Timmar sömn" in answered.text
    assert client.get("/mina-uppgifter").text.count(f"/mina-uppgifter/{task_id}") == 0  # not asked twice


def test_answers_the_engine_refuses_as_task_data_give_a_plain_page_not_a_500(demo, publish):
    files = failing_post_script()
    # A text without a maximum length: the answers are more task data than the engine keeps.
    form = dict(FORM, components=[{"id": "c_note", "key": "note", "type": "textarea", "label": "Anteckning"}])
    files["forms/sleep.form"] = json.dumps(form)
    resident = demo.resident("anna")
    outcome = engine.start(publish(files), engine.SYSTEM, unit_id=demo.org.units["nord"].id,
                           subject_id=resident.id, owner_id=demo.org.staff["behandlare"].id)
    db.session.commit()
    task_id = db.session.scalar(select(HumanTask.id).where(HumanTask.instance_id == outcome.instance_id))
    client = sign_in_resident(demo.client(), resident.id)
    response = post(client, f"/mina-uppgifter/{task_id}", {"note": "z" * 70_000})
    assert response.status_code == 400
    assert "Något i det som skickades saknades eller var fel" in response.text and "Traceback" not in response.text
    assert engine.instance(outcome.instance_id).status == "running"  # nothing was saved
