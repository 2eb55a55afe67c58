"""A child's one-time code opens the program it was issued for and nothing else of the child's
(R43): other programs are neither listed nor openable, their steps cannot be done, and the
messages are the code's unit's only."""
from __future__ import annotations

import re

import pytest

import engine
from engine.db import db
from messaging import conversation
from tests.web.signin import demo, pdl_rows, post, security_events, sign_in_child, sign_in_resident  # noqa: F401

ANSWERS = {"q1": "1", "q2": "2"}


@pytest.fixture()
def two_programs(demo):
    """Elsa (a child) with her program on Nord and a second one on Syd, a message from each unit,
    and a client signed in with a code issued on Nord for the Nord program."""
    elsa = demo.resident("elsa")
    syd = engine.start(demo.version, engine.SYSTEM, unit_id=demo.org.units["syd"].id, subject_id=elsa.id,
                       owner_id=demo.org.staff["syd"].id).instance_id
    conversation.write(elsa.id, demo.org.units["nord"].id, "staff", demo.org.staff["behandlare"].id, "Hej från Nord")
    conversation.write(elsa.id, demo.org.units["syd"].id, "staff", demo.org.staff["syd"].id, "Hej från Syd")
    db.session.commit()
    issued = post(demo.staff("behandlare"), f"/invanare/{elsa.id}/engangskod", {"instance": demo.instances["elsa"]},
                  token_from=f"/invanare/{elsa.id}")
    code = re.search(r"<strong>([A-Z0-9]{3}-[A-Z0-9]{4}-[A-Z0-9]{4})</strong>", issued.text).group(1)
    child = demo.client()
    assert sign_in_child(child, code).status_code == 302
    return child, elsa, demo.instances["elsa"], syd


def _resident_task(instance_id):
    return next(t for t in engine.ready_tasks(instance_id) if t.role == "invanare")


def test_the_child_sees_only_the_codes_program(demo, two_programs):
    child, elsa, nord, syd = two_programs
    listing = child.get("/mina-program").text
    assert f"/mina-program/{nord}" in listing and f"/mina-program/{syd}" not in listing
    assert child.get(f"/mina-program/{nord}").status_code == 200
    assert child.get(f"/mina-program/{syd}").status_code == 404
    done = f"/mina-program/{syd}/steg/{_resident_task(syd).id}"
    assert child.get(done).status_code == 404
    [*_, denied] = pdl_rows(resident_id=elsa.id, resource_id=syd)
    assert (denied.actor_type, denied.outcome, denied.reason) == (
        "child", "denied", "outside the program the one-time code is for")
    assert len(security_events("not_found_probe")) == 2


def test_the_child_sees_and_does_only_the_codes_steps(demo, two_programs):
    child, elsa, nord, syd = two_programs
    own, other = _resident_task(nord), _resident_task(syd)
    steps = child.get("/mina-uppgifter").text
    assert f"/mina-uppgifter/{own.id}" in steps and f"/mina-uppgifter/{other.id}" not in steps
    assert child.get(f"/mina-uppgifter/{other.id}").status_code == 404
    refused = post(child, f"/mina-uppgifter/{other.id}", ANSWERS, token_from="/mina-uppgifter")
    assert refused.status_code == 404
    assert other.id in {t.id for t in engine.ready_tasks(syd)}  # not done
    assert post(child, f"/mina-uppgifter/{own.id}", ANSWERS).status_code == 302
    assert own.id not in {t.id for t in engine.ready_tasks(nord)}


def test_the_child_reads_and_writes_only_the_codes_unit(demo, two_programs):
    child, elsa, nord, syd = two_programs
    page = child.get("/mina-meddelanden").text
    assert "Hej från Nord" in page and "Hej från Syd" not in page
    assert demo.org.units["syd"].name not in page
    refused = post(child, "/mina-meddelanden", {"unit": demo.org.units["syd"].id, "body": "Hej"})
    assert refused.status_code == 403


def test_the_child_gets_neither_the_log_extract_nor_the_contact_details(demo, two_programs):
    child = two_programs[0]
    assert child.get("/mina-loggar").status_code == 403
    assert child.get("/mina-kontaktuppgifter").status_code == 403
    assert child.get("/oppna-program").status_code == 403


def test_the_child_signed_in_with_e_id_as_herself_sees_both(demo, two_programs):
    _child, elsa, nord, syd = two_programs
    herself = sign_in_resident(demo.client(), elsa.id)
    listing = herself.get("/mina-program").text
    assert f"/mina-program/{nord}" in listing and f"/mina-program/{syd}" in listing
    assert herself.get(f"/mina-program/{syd}").status_code == 200
    assert "Hej från Syd" in herself.get("/mina-meddelanden").text
