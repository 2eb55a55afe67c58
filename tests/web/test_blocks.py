"""Spärr and emergency access (PDL 4 kap., R49–R50): Anna has programs on Nord and Syd and blocks
Nord; Sven on Syd is refused, may open with emergency access for four hours, and the log reviewer
sees it first on the risk list; Bodil on Nord is unaffected; lifting the block opens access again."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

import engine
from access import blocks
from engine.db import db
from tests.web.signin import demo, pdl_rows, post, security_events, sign_in_resident  # noqa: F401


def _anna_on_syd(demo) -> str:
    anna = demo.resident("anna")
    instance_id = engine.start(demo.version, engine.SYSTEM, unit_id=demo.org.units["syd"].id, subject_id=anna.id,
                               owner_id=demo.org.staff["syd"].id).instance_id
    db.session.commit()
    return instance_id


def _block_nord(demo):
    resident = sign_in_resident(demo.client(), demo.resident("anna").id)
    assert "/mina-sparrar" in resident.get("/mina-program").text
    page = resident.get("/mina-sparrar").text
    assert "Psykiatrimottagning Nord" in page and "Vårdcentral Syd" in page
    nord = demo.org.units["nord"].id
    response = post(resident, f"/mina-sparrar/{nord}/sparra", {}, token_from="/mina-sparrar")
    assert response.status_code == 302
    return resident


def test_a_block_refuses_the_other_units_clinician_with_a_denied_row(demo):
    anna, on_syd = demo.resident("anna"), _anna_on_syd(demo)
    _block_nord(demo)
    placed = pdl_rows(resident_id=anna.id, resource_type="block")
    assert [(r.action, r.resource_id, r.access_basis) for r in placed] == [
        ("create", demo.org.units["nord"].id, "self")]
    sven = demo.staff("syd")
    for path in (f"/invanare/{anna.id}", f"/invanare/{anna.id}/program/{on_syd}"):
        response = sven.get(path)
        assert response.status_code == 403
        assert "nodatkomst" in response.text
        row = pdl_rows(resident_id=anna.id, actor_id=demo.org.staff["syd"].id)[-1]
        assert (row.outcome, row.reason, row.unit_id) == ("denied", "spärr", demo.org.units["syd"].id)
    assert anna.display_name not in sven.get("/invanare").text


def test_the_blocking_units_own_staff_are_unaffected(demo):
    anna = demo.resident("anna")
    _anna_on_syd(demo)
    _block_nord(demo)
    bodil = demo.staff("behandlare")
    assert bodil.get(f"/invanare/{anna.id}").status_code == 200
    assert bodil.get(f"/invanare/{anna.id}/program/{demo.instances['anna']}").status_code == 200
    row = pdl_rows(resident_id=anna.id, actor_id=demo.org.staff["behandlare"].id)[-1]
    assert (row.outcome, row.access_basis) == ("allowed", "care_relation")


def test_emergency_access_needs_a_reason_and_opens_for_four_hours_with_every_read_flagged(demo):
    anna, on_syd = demo.resident("anna"), _anna_on_syd(demo)
    _block_nord(demo)
    sven = demo.staff("syd")
    path = f"/invanare/{anna.id}/nodatkomst"
    assert post(sven, path, {"reason": "  "}).status_code == 400
    assert post(sven, path, {"reason": "x" * (blocks.MAX_REASON + 1)}).status_code == 400
    assert db.session.scalars(select(blocks.EmergencyAccess)).all() == []
    assert sven.get(f"/invanare/{anna.id}").status_code == 403
    response = post(sven, path, {"reason": "Medvetslös på akuten, behöver veta pågående behandling"})
    assert response.status_code == 302
    [opened] = pdl_rows(resident_id=anna.id, action="emergency_open")
    assert (opened.outcome, opened.access_basis, opened.actor_id) == ("allowed", "emergency",
                                                                       demo.org.staff["syd"].id)
    assert len(security_events("emergency_access")) == 1
    assert sven.get(f"/invanare/{anna.id}").status_code == 200
    assert sven.get(f"/invanare/{anna.id}/program/{on_syd}").status_code == 200
    reads = pdl_rows(resident_id=anna.id, actor_id=demo.org.staff["syd"].id, action="read", outcome="allowed")
    assert len(reads) == 2 and all(r.access_basis == "emergency" for r in reads)
    engine.clock.advance(timedelta(hours=blocks.EMERGENCY_HOURS - 1))
    assert demo.staff("syd").get(f"/invanare/{anna.id}").status_code == 200  # a new session, still open
    engine.clock.advance(timedelta(hours=1))
    assert demo.staff("syd").get(f"/invanare/{anna.id}").status_code == 403


def test_emergency_access_comes_first_on_the_reviewers_risk_list(demo):
    anna = demo.resident("anna")
    _anna_on_syd(demo)
    _block_nord(demo)
    sven = demo.staff("syd")
    post(sven, f"/invanare/{anna.id}/nodatkomst", {"reason": "Akut läge"})
    sven.get(f"/invanare/{anna.id}")
    demo.staff("behandlare").get("/invanare/no-such-resident")  # a later denied entry
    page = demo.staff("loggranskare").get("/loggar", query_string={"risk": "1"}).text
    rows = page.split("<tbody", 1)[1].split("</tr>")
    assert "Nödåtkomst" in rows[0] or "Emergency access" in rows[0]


def test_lifting_the_block_opens_access_again(demo):
    anna = demo.resident("anna")
    _anna_on_syd(demo)
    resident = _block_nord(demo)
    sven = demo.staff("syd")
    assert sven.get(f"/invanare/{anna.id}").status_code == 403
    nord = demo.org.units["nord"].id
    assert post(resident, f"/mina-sparrar/{nord}/hav", {}, token_from="/mina-sparrar").status_code == 302
    assert [r.action for r in pdl_rows(resident_id=anna.id, resource_type="block")] == ["create", "update"]
    assert sven.get(f"/invanare/{anna.id}").status_code == 200
    assert pdl_rows(resident_id=anna.id, actor_id=demo.org.staff["syd"].id)[-1].access_basis == "care_relation"


def test_a_resident_cannot_block_a_unit_they_never_had_a_program_on(demo):
    resident = sign_in_resident(demo.client(), demo.resident("anna").id)
    syd = demo.org.units["syd"].id
    assert post(resident, f"/mina-sparrar/{syd}/sparra", {}, token_from="/mina-sparrar").status_code == 404
    assert blocks.blocks_of(demo.resident("anna").id) == {}


def test_a_block_refuses_the_other_units_program_actions_too(demo):
    on_syd = _anna_on_syd(demo)
    _block_nord(demo)
    sven = demo.staff("syd")
    assert post(sven, f"/program/{on_syd}/paus", {}, token_from="/invanare").status_code == 403
    row = pdl_rows(resident_id=demo.resident("anna").id, actor_id=demo.org.staff["syd"].id)[-1]
    assert (row.outcome, row.reason, row.action) == ("denied", "spärr", "update")
