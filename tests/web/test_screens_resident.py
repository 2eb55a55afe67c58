"""The resident's own pages: their programs, and a log extract naming units and times but never
a member of staff."""
from __future__ import annotations

from access.records import PdlEntry
from engine.db import db
from tests.web.signin import demo, pdl_rows, sign_in_resident  # noqa: F401


def test_a_resident_sees_their_programs_and_the_look_is_logged(demo):
    anna = demo.resident("anna")
    client = sign_in_resident(demo.client(), anna.id)
    page = client.get("/mina-program")
    assert page.status_code == 200 and demo.program in page.text
    [row] = pdl_rows(resident_id=anna.id, resource_type="own_programs")
    assert (row.actor_type, row.actor_id, row.action, row.outcome, row.access_basis) == (
        "resident", anna.id, "read", "allowed", "self")
    assert row.request_id


def test_a_resident_without_programs_sees_none(demo):
    client = sign_in_resident(demo.client(), demo.resident("bo").id)
    assert demo.program not in client.get("/mina-program").text


def test_the_log_extract_names_unit_provider_and_time_but_no_staff(demo):
    anna = demo.resident("anna")
    demo.staff("behandlare").get(f"/invanare/{anna.id}")
    demo.staff("syd").get(f"/invanare/{anna.id}")  # refused: not shown as an access
    client = sign_in_resident(demo.client(), anna.id)
    page = client.get("/mina-loggar")
    assert page.status_code == 200
    assert "Psykiatrimottagning Nord" in page.text and "Region Demoland" in page.text
    assert "Vårdcentral Syd" not in page.text
    for name in ("Bodil", "Behandlare", "Sven", "SE2321000016-B001"):
        assert name not in page.text
    [row] = pdl_rows(resident_id=anna.id, resource_type="log_extract")
    assert row.actor_type == "resident" and row.outcome == "allowed"


def test_the_extract_holds_only_the_residents_own_entries(demo):
    demo.staff("behandlare").get(f"/invanare/{demo.resident('cecilia').id}")
    client = sign_in_resident(demo.client(), demo.resident("anna").id)
    assert "Psykiatrimottagning Nord" not in client.get("/mina-loggar").text


def test_staff_and_children_do_not_get_the_extract(demo):
    staff = demo.staff("behandlare")
    assert staff.get("/mina-program").status_code == 403
    assert staff.get("/mina-loggar").status_code == 403
    assert demo.client().get("/mina-loggar").status_code == 302
    assert db.session.query(PdlEntry).filter(PdlEntry.resource_type == "log_extract").count() == 0
