"""After sending a step the resident lands on a receipt, not on "nothing to do": help first when
an answer raised a risk flag, then that the answer arrived, who reads it and what comes next;
messages pages say they are not for urgent matters."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

import engine
from engine.db import db
from engine.models import HumanTask
from tests.support import bpmn
from tests.web.signin import demo, post, sign_in_resident  # noqa: F401

CRISIS_NUMBERS = ("112", "1177", "90101")


def phq9_then_review() -> dict:
    """The resident answers PHQ-9, then a clinician reviews it."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("phq", form="phq9.form", name="PHQ-9") +
            bpmn.user_task("review", name="Granska") + '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "phq"), ("f2", "phq", "review"), ("f3", "review", "end")))
    lanes = {"Invånare": ["start", "phq"], "Behandlare": ["review", "end"]}
    return {"p.bpmn": bpmn.process("phq_check", body, lanes)}


def start_for(demo, publish, key="anna"):
    resident = demo.resident(key)
    outcome = engine.start(publish(phq9_then_review()), engine.SYSTEM, unit_id=demo.org.units["nord"].id,
                           subject_id=resident.id, owner_id=demo.org.staff["behandlare"].id)
    db.session.commit()
    task_id = db.session.scalar(select(HumanTask.id).where(HumanTask.instance_id == outcome.instance_id))
    return sign_in_resident(demo.client(), resident.id), outcome.instance_id, task_id


def answers(item9: int) -> dict:
    return {**{f"phq9_{i}": "1" for i in range(1, 9)}, "phq9_9": str(item9)}


def test_a_risk_answer_lands_on_a_receipt_with_the_crisis_information_first(demo, publish):
    client, instance_id, task_id = start_for(demo, publish)
    response = post(client, f"/mina-uppgifter/{task_id}", answers(item9=2))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/mina-program/{instance_id}/steg/{task_id}/kvitto")
    page = client.get(response.headers["Location"]).text
    main = page[page.index("<main"):]
    crisis, receipt = main.index('class="crisis"'), main.index("Tack – ditt svar är skickat")
    assert crisis < receipt  # before anything else on the page
    assert all(number in main[crisis:receipt] for number in CRISIS_NUMBERS)
    assert "Din behandlare har fått ditt svar och tittar på det inom 2 arbetsdagar" in main
    assert "Du har inget att göra just nu" not in main


def test_an_answer_without_risk_gets_the_receipt_without_the_crisis_box(demo, publish):
    client, instance_id, task_id = start_for(demo, publish)
    location = post(client, f"/mina-uppgifter/{task_id}", answers(item9=0)).headers["Location"]
    page = client.get(location).text
    assert "Tack – ditt svar är skickat" in page and 'class="crisis"' not in page
    assert "ring 1177, eller 112 om det är akut" in page  # the quiet line is always there


def test_the_receipt_is_the_residents_own(demo, publish):
    client, instance_id, task_id = start_for(demo, publish)
    post(client, f"/mina-uppgifter/{task_id}", answers(item9=0))
    other = sign_in_resident(demo.client(), demo.resident("fredrik").id)
    assert other.get(f"/mina-program/{instance_id}/steg/{task_id}/kvitto").status_code == 404


def test_the_residents_messages_page_says_it_is_not_for_urgent_matters(demo):
    client = sign_in_resident(demo.client(), demo.resident("anna").id)
    page = client.get("/mina-meddelanden").text
    assert "Meddelanden är inte till för akuta ärenden" in page
    assert all(number in page for number in CRISIS_NUMBERS)


def test_a_forms_text_blocks_are_rendered_markdown_not_raw_asterisks(demo, publish):
    # The sleep diary's "**Behöver du hjälp?**" read as asterisks; it reads as bold now.
    import json
    form = {"type": "default", "id": "diary", "components": [
        {"type": "text", "id": "help", "text": "**Behöver du hjälp?** Ring 1177.\n\n- ett\n- två"},
        {"type": "textfield", "id": "note_field", "key": "note", "label": "Anteckning"}]}
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("diary", form="diary.form", name="Dagbok") +
            '<bpmn:endEvent id="end" />' + bpmn.flows(("f1", "start", "diary"), ("f2", "diary", "end")))
    files = {"p.bpmn": bpmn.process("diary_p", body, {"Invånare": ["start", "diary", "end"]}),
             "forms/diary.form": json.dumps(form)}
    resident = demo.resident("anna")
    outcome = engine.start(publish(files), engine.SYSTEM, unit_id=demo.org.units["nord"].id,
                           subject_id=resident.id, owner_id=demo.org.staff["behandlare"].id)
    db.session.commit()
    task_id = db.session.scalar(select(HumanTask.id).where(HumanTask.instance_id == outcome.instance_id))
    page = sign_in_resident(demo.client(), resident.id).get(f"/mina-uppgifter/{task_id}").text
    assert "<strong>Behöver du hjälp?</strong> Ring 1177." in page and "**" not in page
    assert "<li>ett</li>" in page


def phq9_then_program_flagged_review() -> dict:
    """The program's own rule (not a questionnaire's) raises the clinician's review to high."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("phq", form="phq9.form", name="PHQ-9") +
            bpmn.script_task("flag", "priority = 'high'") + bpmn.user_task("review", name="Granska") +
            '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "phq"), ("f2", "phq", "flag"), ("f3", "flag", "review"), ("f4", "review", "end")))
    lanes = {"Invånare": ["start", "phq", "flag"], "Behandlare": ["review", "end"]}
    return {"p.bpmn": bpmn.process("phq_flagged", body, lanes)}


def test_a_step_the_program_itself_flags_high_brings_the_crisis_information(demo, publish):
    resident = demo.resident("anna")
    outcome = engine.start(publish(phq9_then_program_flagged_review()), engine.SYSTEM,
                           unit_id=demo.org.units["nord"].id, subject_id=resident.id)
    db.session.commit()
    task_id = db.session.scalar(select(HumanTask.id).where(HumanTask.instance_id == outcome.instance_id))
    client = sign_in_resident(demo.client(), resident.id)
    page = client.get(post(client, f"/mina-uppgifter/{task_id}", answers(item9=0)).headers["Location"]).text
    assert 'class="crisis"' in page and all(number in page for number in CRISIS_NUMBERS)


def clinic_step_already_waiting_then_phq9() -> dict:
    """A clinic step opens beside the resident's PHQ-9, before it is answered: it is not about the answer."""
    body = ('<bpmn:startEvent id="start" /><bpmn:parallelGateway id="split" /><bpmn:parallelGateway id="join" />'
            + bpmn.user_task("phq", form="phq9.form", name="PHQ-9") + bpmn.user_task("other", name="Annat ärende")
            + '<bpmn:endEvent id="end" />'
            + bpmn.flows(("f1", "start", "split"), ("f2", "split", "phq"), ("f3", "split", "other"),
                         ("f4", "phq", "join"), ("f5", "other", "join"), ("f6", "join", "end")))
    lanes = {"Invånare": ["start", "split", "phq", "join", "end"], "Behandlare": ["other"]}
    return {"p.bpmn": bpmn.process("phq_beside", body, lanes)}


def test_a_clinic_step_waiting_since_before_the_answer_does_not_promise_that_someone_reads_it(demo, publish):
    resident = demo.resident("anna")
    outcome = engine.start(publish(clinic_step_already_waiting_then_phq9()), engine.SYSTEM,
                           unit_id=demo.org.units["nord"].id, subject_id=resident.id)
    db.session.commit()
    engine.clock.advance(timedelta(minutes=5))
    task_id = db.session.scalar(select(HumanTask.id).where(HumanTask.instance_id == outcome.instance_id,
                                                           HumanTask.element_id == "phq"))
    client = sign_in_resident(demo.client(), resident.id)
    page = client.get(post(client, f"/mina-uppgifter/{task_id}", answers(item9=0)).headers["Location"]).text
    assert "Tack – ditt svar är skickat" in page
    assert "Din behandlare har fått ditt svar" not in page
