"""Secure messages: the clinician writes, the resident is notified without the text and reads it,
answers; each look and each message is a PDL row; other units and residents see nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

import engine
from access.records import PdlEntry
from engine.db import db
from notify.models import OutboxMessage
from tests.conftest import FIXTURES
from tests.web.signin import post, sign_in_resident, sign_in_staff
from cli import demo_people

SECRET = "Hur gick exponeringen i tisdags?"


@pytest.fixture()
def world(ctx, publish):
    engine.clock.freeze(engine.clock.now())
    org = demo_people.seed()
    org.residents["anna"].email = "anna@example.se"
    db.session.commit()
    version = publish(FIXTURES / "simple")
    engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id, subject_id=org.residents["anna"].id)
    db.session.commit()
    return org


def test_a_conversation_both_ways(ctx, world):
    anna = world.residents["anna"]
    path = f"/invanare/{anna.id}/meddelanden"
    clinician = sign_in_staff(ctx.test_client(), world.staff["behandlare"].hsa_id)
    assert post(clinician, path, {"body": "  "}).status_code == 400
    assert post(clinician, path, {"body": SECRET}).status_code == 302
    (notice,) = db.session.scalars(select(OutboxMessage)).all()
    assert SECRET not in notice.body and "Anna" not in notice.body

    resident = sign_in_resident(ctx.test_client(), anna.id)
    page = resident.get("/mina-meddelanden").get_data(as_text=True)
    assert SECRET in page and "Psykiatrimottagning Nord" in page
    assert post(resident, "/mina-meddelanden", {"body": "Det gick bra!", "unit": world.units["nord"].id}).status_code == 302
    assert "Det gick bra!" in clinician.get(path).get_data(as_text=True)

    actions = {(r.actor_type, r.action) for r in db.session.scalars(
        select(PdlEntry).where(PdlEntry.resource_type == "message", PdlEntry.resident_id == anna.id))}
    assert {("staff", "message_send"), ("staff", "read"), ("resident", "read"), ("resident", "message_send")} <= actions


def test_nobody_else_reads_the_conversation(ctx, world):
    anna = world.residents["anna"]
    clinician = sign_in_staff(ctx.test_client(), world.staff["behandlare"].hsa_id)
    post(clinician, f"/invanare/{anna.id}/meddelanden", {"body": SECRET})
    other_unit = sign_in_staff(ctx.test_client(), world.staff["syd"].hsa_id)
    response = other_unit.get(f"/invanare/{anna.id}/meddelanden")
    assert response.status_code == 404 and SECRET not in response.get_data(as_text=True)
    bo = sign_in_resident(ctx.test_client(), world.residents["bo"].id)
    assert SECRET not in bo.get("/mina-meddelanden").get_data(as_text=True)
    assert post(bo, "/mina-meddelanden", {"body": "hej", "unit": world.units["nord"].id}).status_code == 403
    denied = db.session.scalars(select(PdlEntry).where(PdlEntry.outcome == "denied",
                                                       PdlEntry.resource_type == "message")).all()
    assert denied and all(r.resident_id == anna.id for r in denied)
