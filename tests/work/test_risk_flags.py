"""A risk answer raises the clinician's task to the top: the program scores the instrument with
``score('phq9')`` (item 9 is judged apart from the total) and sets the task's priority."""
from __future__ import annotations

import re

import engine
from engine.db import db
from tests.support import bpmn
from tests.web.signin import post, sign_in_resident, sign_in_staff
from web.commands import demo_people

SCRIPT = "phq9 = score('phq9')\npriority = phq9['priority'] or 'normal'"


def program() -> dict:
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("answer", "phq9.form", name="PHQ-9") +
            bpmn.script_task("score_it", SCRIPT) + bpmn.user_task("review", name="Granska PHQ-9") +
            '<bpmn:endEvent id="end" />' +
            bpmn.flows(("f1", "start", "answer"), ("f2", "answer", "score_it"), ("f3", "score_it", "review"),
                       ("f4", "review", "end")))
    lanes = {"Invånare": ["start", "answer", "score_it"], "Behandlare": ["review", "end"]}
    return {"p.bpmn": bpmn.process("phq9_check", body, lanes)}


def answers(item9: int) -> dict:
    return {f"phq9_{n}": "0" for n in range(1, 9)} | {"phq9_9": str(item9)}


def test_item_nine_puts_the_review_first_whatever_the_total(ctx, publish):
    engine.clock.freeze(engine.clock.now())
    org = demo_people.seed()
    db.session.commit()
    version = publish(program())
    calm, at_risk = org.residents["bo"], org.residents["anna"]
    for resident in (calm, at_risk):  # the calm resident answers first: their review is older
        engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id, subject_id=resident.id,
                     owner_id=org.staff["behandlare"].id)
        db.session.commit()
        client = sign_in_resident(ctx.test_client(), resident.id)
        path = re.search(r'href="(/mina-uppgifter/[0-9a-f-]+)"', client.get("/mina-uppgifter").get_data(as_text=True)).group(1)
        assert post(client, path, answers(1 if resident is at_risk else 0)).status_code == 302
        engine.clock.advance(__import__("datetime").timedelta(minutes=5))

    clinician = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    page = clinician.get("/uppgifter").get_data(as_text=True)
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)[1:]
    assert "Anna Andersson" in rows[0] and ("Prioritet" in rows[0] or "Priority" in rows[0])
    assert "Bo Berg" in rows[1] and "Priorit" not in rows[1]
