"""Every attempt on a resident's data is logged on the resident it concerns, with the outcome it
had: refused task pages, probes with another resident's program or step under one's own, and a
security event for every probe answered with 404 (issue 9)."""
from __future__ import annotations

import engine
from engine.db import db
from tests.web.signin import demo, pdl_rows, post, security_events, sign_in_resident  # noqa: F401

ANSWERS = {"q1": 1, "q2": 2}


def _task(instance_id, role):
    return next(t for t in engine.ready_tasks(instance_id) if t.role == role)


def _clinicians_task(demo, key):
    """Let the resident answer, so the clinician's review step opens on their unit."""
    resident = demo.resident(key)
    answer = _task(demo.instances[key], "invanare")
    engine.complete_task(answer.id, engine.Actor(resident.id, frozenset({("invanare", None)})),
                         {"q1": 3, "q2": 3})  # severe: the review opens
    db.session.commit()
    return _task(demo.instances[key], "behandlare")


def test_a_refused_look_at_another_units_task_is_a_denied_row_on_its_resident(demo):
    anna = demo.resident("anna")
    review = _clinicians_task(demo, "anna")
    syd = demo.staff("syd")
    assert syd.get(f"/uppgifter/{review.id}").status_code == 403
    [row] = pdl_rows(resident_id=anna.id, resource_id=review.id)
    assert (row.actor_id, row.action, row.resource_type, row.outcome, row.reason) == (
        demo.org.staff["syd"].id, "read", "human_task", "denied", "task of another role or unit")
    assert row.unit_id == demo.org.units["syd"].id and row.role == "behandlare"


def test_a_refused_look_at_another_roles_task_is_a_denied_row_on_its_resident(demo):
    anna = demo.resident("anna")
    answer = _task(demo.instances["anna"], "invanare")
    clinician = demo.staff("behandlare")
    assert clinician.get(f"/uppgifter/{answer.id}").status_code == 403
    assert post(clinician, f"/uppgifter/{answer.id}", ANSWERS, token_from="/uppgifter").status_code == 403
    rows = pdl_rows(resident_id=anna.id, resource_id=answer.id)
    assert [(r.action, r.outcome) for r in rows] == [("read", "denied"), ("update", "denied")]


def test_a_residents_probe_with_another_residents_program_is_logged_on_that_resident(demo):
    anna, fredrik = demo.resident("anna"), demo.resident("fredrik")
    client = sign_in_resident(demo.client(), anna.id)
    assert client.get(f"/mina-program/{demo.instances['fredrik']}").status_code == 404
    assert pdl_rows(resident_id=anna.id) == []  # nothing of Anna's was touched
    [row] = pdl_rows(resident_id=fredrik.id)
    assert (row.actor_id, row.resource_id, row.outcome, row.reason) == (
        anna.id, demo.instances["fredrik"], "denied", "another resident's data")
    [event] = security_events("not_found_probe")
    assert event.actor_id == anna.id and event.subject == "resident.program"


def test_a_residents_probe_with_another_residents_step_is_logged_on_that_resident(demo):
    anna, fredrik = demo.resident("anna"), demo.resident("fredrik")
    theirs = _task(demo.instances["fredrik"], "invanare")
    client = sign_in_resident(demo.client(), anna.id)
    assert client.get(f"/mina-uppgifter/{theirs.id}").status_code == 404
    assert post(client, f"/mina-uppgifter/{theirs.id}", ANSWERS, token_from="/mina-uppgifter").status_code == 404
    assert theirs.id in {t.id for t in engine.ready_tasks(demo.instances["fredrik"])}
    rows = pdl_rows(resident_id=fredrik.id)
    assert [(r.actor_id, r.resource_type, r.outcome) for r in rows] == [(anna.id, "human_task", "denied")] * 2
    assert len(security_events("not_found_probe")) == 2


def test_a_residents_probe_with_an_unknown_id_is_a_security_event(demo):
    anna = demo.resident("anna")
    client = sign_in_resident(demo.client(), anna.id)
    assert client.get("/mina-program/no-such-program").status_code == 404
    assert client.get(f"/mina-program/{demo.instances['anna']}/steg/no-such-step").status_code == 404
    program, step = security_events("not_found_probe")
    assert program.actor_type == "resident" and "no-such-program" in program.detail
    assert "no-such-step" in step.detail
    assert pdl_rows(outcome="allowed", resource_id="no-such-program") == []


def test_a_clinicians_probe_with_another_residents_program_is_logged_on_that_resident(demo):
    anna, fredrik, cecilia = demo.resident("anna"), demo.resident("fredrik"), demo.resident("cecilia")
    clinician = demo.staff("behandlare")
    for other in ("fredrik", "cecilia"):  # another unit's resident, and one of the clinician's own unit
        assert clinician.get(f"/invanare/{anna.id}/program/{demo.instances[other]}").status_code == 404
    assert pdl_rows(resident_id=anna.id) == []
    [on_fredrik] = pdl_rows(resident_id=fredrik.id)
    [on_cecilia] = pdl_rows(resident_id=cecilia.id)
    for row in (on_fredrik, on_cecilia):
        assert (row.outcome, row.resource_type, row.reason) == (
            "denied", "process_instance", "the program is another resident's")
    assert len(security_events("not_found_probe")) == 2


def test_a_clinicians_look_at_another_units_program_of_their_resident_is_denied(demo):
    anna = demo.resident("anna")
    on_syd = engine.start(demo.version, engine.SYSTEM, unit_id=demo.org.units["syd"].id, subject_id=anna.id,
                          owner_id=demo.org.staff["syd"].id).instance_id
    db.session.commit()
    clinician = demo.staff("behandlare")
    assert clinician.get(f"/invanare/{anna.id}/program/{on_syd}").status_code == 404
    [row] = pdl_rows(resident_id=anna.id)
    assert (row.resource_id, row.outcome, row.reason) == (on_syd, "denied", "the program is another unit's")
    assert clinician.get(f"/invanare/{anna.id}/program/{demo.instances['anna']}").status_code == 200
    assert pdl_rows(resident_id=anna.id)[-1].outcome == "allowed"


def test_a_clinicians_probe_for_a_resident_off_the_unit_is_a_security_event(demo):
    clinician = demo.staff("behandlare")
    assert clinician.get(f"/invanare/{demo.resident('fredrik').id}").status_code == 404
    assert clinician.get(f"/invanare/{demo.resident('fredrik').id}/meddelanden").status_code == 404
    assert clinician.get("/program/no-such-program/avsluta").status_code == 404
    assert len(security_events("not_found_probe")) == 3
