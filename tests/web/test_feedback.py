"""The clinician's feedback on homework reaches the resident: beside the next step they open, on
the homework's done page and on the program page, and they are told there is feedback (fixed
text, never the words)."""
from __future__ import annotations

import json

from sqlalchemy import select

import engine
from engine.db import db
from engine.models import HumanTask
from notify.models import OutboxMessage
from tests.support import bpmn
from tests.web.signin import demo, post, sign_in_resident  # noqa: F401

WORDS = "Bra jobbat med hemuppgiften!\nFortsätt att skriva ner tankarna."


def homework_feedback_next() -> dict:
    homework = {"type": "default", "id": "homework", "components": [
        {"type": "textarea", "id": "hw", "key": "homework_text", "label": "Hemuppgift"}]}
    feedback = {"type": "default", "id": "feedback", "components": [
        {"type": "textarea", "id": "fb", "key": "feedback_text", "label": "Återkoppling",
         "validate": {"required": True}, "properties": {"shown_to_resident": "true"}},
        {"type": "textarea", "id": "note", "key": "internal_note", "label": "Egen anteckning"}]}
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("homework", form="homework.form", name="Hemuppgift") +
            bpmn.user_task("feedback", form="feedback.form", name="Återkoppling") +
            bpmn.user_task("next_module", name="Läs modul 2") + '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "homework"), ("f2", "homework", "feedback"), ("f3", "feedback", "next_module"),
                       ("f4", "next_module", "end")))
    lanes = {"Invånare": ["start", "homework", "next_module", "end"], "Behandlare": ["feedback"]}
    return {"p.bpmn": bpmn.process("fb", body, lanes), "forms/homework.form": json.dumps(homework),
            "forms/feedback.form": json.dumps(feedback)}


def open_task(instance_id: str) -> str:
    return db.session.scalar(select(HumanTask.id).where(HumanTask.instance_id == instance_id))


def test_feedback_reaches_the_resident_where_they_read_next_and_they_are_told(demo, publish):
    anna = demo.resident("anna")
    anna.email = "anna@example.se"
    instance_id = engine.start(publish(homework_feedback_next()), engine.SYSTEM, unit_id=demo.org.units["nord"].id,
                               subject_id=anna.id, owner_id=demo.org.staff["behandlare"].id).instance_id
    db.session.commit()
    resident = sign_in_resident(demo.client(), anna.id)
    homework = open_task(instance_id)
    post(resident, f"/mina-uppgifter/{homework}", {"homework_text": "Jag skrev tre tankar."})

    clinician = demo.staff("behandlare")
    feedback_task = open_task(instance_id)
    response = post(clinician, f"/uppgifter/{feedback_task}", {"feedback_text": WORDS, "internal_note": "hemligt"})
    assert response.status_code == 302

    next_step = resident.get(f"/mina-uppgifter/{open_task(instance_id)}").text
    assert "Återkoppling från din behandlare" in next_step and "Bra jobbat med hemuppgiften!" in next_step
    assert "hemligt" not in next_step  # only the field marked for the resident
    done_page = resident.get(f"/mina-program/{instance_id}/steg/{homework}").text
    assert "Bra jobbat med hemuppgiften!" in done_page
    program_page = resident.get(f"/mina-program/{instance_id}").text
    assert "Bra jobbat med hemuppgiften!" in program_page and "hemligt" not in program_page

    [told] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "new_feedback")).all()
    assert told.recipient == "anna@example.se" and "Bra jobbat" not in told.body and "återkoppling" in told.body


def test_feedback_already_followed_by_the_residents_next_step_is_not_shown_as_new(demo, publish):
    anna = demo.resident("anna")
    instance_id = engine.start(publish(homework_feedback_next()), engine.SYSTEM, unit_id=demo.org.units["nord"].id,
                               subject_id=anna.id, owner_id=demo.org.staff["behandlare"].id).instance_id
    db.session.commit()
    engine.complete_task(open_task(instance_id), engine.SYSTEM, {"homework_text": "x"})
    engine.complete_task(open_task(instance_id), engine.SYSTEM, {"feedback_text": "Första återkopplingen"})
    db.session.commit()
    from care import program_pages
    assert program_pages.unread_feedback(instance_id).text == "Första återkopplingen"
    engine.complete_task(open_task(instance_id), engine.SYSTEM, {})
    db.session.commit()
    assert program_pages.unread_feedback(instance_id) is None
