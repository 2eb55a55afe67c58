"""A risk answer raises the clinician's task to the top: the program scores the instrument with
``score('phq9')`` (item 9 is judged apart from the total) and sets the task's priority. The
depression program's intake does so from PHQ-9 and MADRS-S alike."""
from __future__ import annotations

import re

import pytest

import engine
from engine.db import db
from tests.conftest import ROOT
from tests.support import bpmn
from tests.web.signin import post, sign_in_resident, sign_in_staff
from web.programs import instructions
from cli import demo_people

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
    rows = re.findall(r"<tr[ >].*?</tr>", page, re.S)[1:]
    assert "Anna Andersson" in rows[0] and ("Hög prioritet" in rows[0] or "High priority" in rows[0])
    assert 'class="flag flag-high"' in rows[0] and "<svg" in rows[0]  # a shape beside the word, not colour alone
    assert "Bo Berg" in rows[1] and "flag-high" not in rows[1] and "priorit" not in rows[1].lower()


DEPRESSION = ROOT / "workflows" / "programs" / "depression_icbt"


def intake(phq9_items: list[int], madrs_s_items: list[int]) -> dict:
    return ({"reason_for_contact": "Nedstämd"} | {f"phq9_{n}": v for n, v in enumerate(phq9_items, 1)}
            | {f"madrs_s_{n}": v for n, v in enumerate(madrs_s_items, 1)})


LOW_PHQ9, LOW_MADRS_S = [1, 1, 1, 1, 0, 0, 0, 0, 0], [2, 1, 2, 1, 1, 1, 1, 1, 0]


@pytest.mark.parametrize("answers, step, priority", [
    (intake(LOW_PHQ9, LOW_MADRS_S), "read_module", 2),  # no flag: the first module opens
    (intake(LOW_PHQ9[:8] + [1], LOW_MADRS_S), "assess_risk", 0),  # PHQ-9 item 9 above 0, total 5
    (intake(LOW_PHQ9, LOW_MADRS_S[:8] + [4]), "assess_risk", 0),  # MADRS-S item 9 high, PHQ-9 item 9 is 0
    (intake(LOW_PHQ9, LOW_MADRS_S[:8] + [2]), "assess_risk", 1),  # MADRS-S item 9 at the attention level
    (intake([3, 3, 3, 3, 2, 2, 2, 2, 0], LOW_MADRS_S), "assess_risk", 1),  # PHQ-9 20, no risk item
], ids=["low", "phq9-item9", "madrs-item9-high", "madrs-item9-attention", "phq9-severe"])
def test_the_intake_flags_risk_from_either_questionnaire(ctx, publish, answers, step, priority):
    version = publish(DEPRESSION)
    outcome = engine.start(version, engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1")
    db.session.commit()
    (questionnaire,) = engine.ready_tasks(outcome.instance_id)
    assert questionnaire.element_id == "intake"
    engine.complete_task(questionnaire.id, engine.SYSTEM, answers)
    db.session.commit()
    (task,) = engine.ready_tasks(outcome.instance_id)
    assert (task.element_id, task.priority) == (step, priority)


def test_the_risk_assessment_shows_the_clinician_why_it_was_flagged(ctx, publish):
    version = publish(DEPRESSION)
    outcome = engine.start(version, engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1")
    db.session.commit()
    (questionnaire,) = engine.ready_tasks(outcome.instance_id)
    engine.complete_task(questionnaire.id, engine.SYSTEM, intake(LOW_PHQ9, LOW_MADRS_S[:8] + [5]))
    db.session.commit()
    (task,) = engine.ready_tasks(outcome.instance_id)
    html = instructions.for_task(engine.task_details(task.id))
    assert "MADRS-S: 15 poäng (Lindrig depression), fråga 9: 5 av 6" in html
    assert "PHQ-9: 4 poäng (Inga eller minimala symtom), fråga 9: 0 av 3" in html
