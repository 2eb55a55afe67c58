"""The clinic's screens: a clinician sees the residents of the unit they work under now and
nobody else; every look, allowed or refused, leaves a complete PDL row."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from access import directory, personnummer
from access.models import Assignment, ChildCode
from engine import clock
from engine.db import db
from tests.web.signin import demo, missing_context, pdl_rows, post, sign_in_child  # noqa: F401

CARE_STAFF = ["behandlare", "invanaradmin"]


def _assignment(world, key):
    return db.session.scalar(select(Assignment).where(Assignment.staff_id == world.org.staff[key].id))


@pytest.mark.parametrize("key", CARE_STAFF)
def test_a_resident_on_the_unit_is_shown_and_the_read_is_logged_in_full(demo, key):
    client = demo.staff(key)
    anna = demo.resident("anna")
    page = client.get(f"/invanare/{anna.id}")
    assert page.status_code == 200
    assert "Anna Andersson" in page.text and personnummer.formatted(anna.personnummer) in page.text
    assert demo.program in page.text
    [row] = pdl_rows(resident_id=anna.id, action="read")
    assert missing_context(row) == []
    assert (row.outcome, row.role, row.unit_id, row.access_basis) == (
        "allowed", key, demo.org.units["nord"].id, "care_relation")
    assert row.assignment_id == _assignment(demo, key).id and row.purpose == "vard_och_behandling"


def test_the_list_shows_the_units_residents_and_masks_a_protected_identity(demo):
    client = demo.staff("behandlare")
    page = client.get("/invanare").text
    assert "Anna Andersson" in page and "Elsa Ek" in page
    cecilia = demo.resident("cecilia")
    assert "Cecilia" not in page and "Carlsson" not in page
    assert personnummer.masked(cecilia.personnummer) in page
    assert personnummer.formatted(cecilia.personnummer) not in page
    assert "Fredrik" not in page and "Greta" not in page and "Testa" not in page
    listed = pdl_rows(action="list")
    assert {r.resident_id for r in listed} == {demo.resident(k).id for k in ("anna", "cecilia", "elsa")}
    assert all(missing_context(r) == [] for r in listed)


def test_search_finds_by_name_and_logs_search_hits(demo):
    client = demo.staff("behandlare")
    page = post(client, "/invanare", {"q": "anna"}).text
    assert "Anna Andersson" in page and "Elsa Ek" not in page
    assert [r.resident_id for r in pdl_rows(action="search_hit")] == [demo.resident("anna").id]


def test_the_detail_page_shows_a_protected_identitys_number_with_a_marker(demo):
    client = demo.staff("behandlare")
    cecilia = demo.resident("cecilia")
    page = client.get(f"/invanare/{cecilia.id}").text
    assert personnummer.formatted(cecilia.personnummer) in page
    assert re.search(r"<strong>[^<]*(skyddad identitet|protected identity)", page, re.I)


@pytest.mark.parametrize("key", CARE_STAFF)
def test_another_unit_of_the_same_provider_is_refused_and_logged(demo, key):
    client = demo.staff(key)
    fredrik = demo.resident("fredrik")
    page = client.get(f"/invanare/{fredrik.id}")
    assert page.status_code == 404 and "Fredrik" not in page.text
    [row] = pdl_rows(resident_id=fredrik.id)
    assert row.outcome == "denied" and missing_context(row) == []


def test_another_care_provider_is_refused_and_logged(demo):
    client = demo.staff("privat")
    anna = demo.resident("anna")
    page = client.get(f"/invanare/{anna.id}")
    assert page.status_code == 404 and "Anna" not in page.text
    [row] = pdl_rows(resident_id=anna.id)
    assert row.outcome == "denied" and row.care_provider_id == demo.org.providers["privat"].id
    assert missing_context(row) == []


def test_an_unknown_resident_looks_like_a_forbidden_one(demo):
    client = demo.staff("behandlare")
    unknown = client.get("/invanare/" + "0" * 32)
    forbidden = client.get(f"/invanare/{demo.resident('fredrik').id}")
    assert unknown.status_code == forbidden.status_code == 404
    assert [r.outcome for r in pdl_rows(resource_id="0" * 32)] == ["denied"]


def test_a_revoked_assignment_ends_the_session_and_then_every_look_is_denied(demo):
    client = demo.staff("behandlare")
    anna = demo.resident("anna")
    directory.revoke_assignment(_assignment(demo, "behandlare"), actor_id="test")
    db.session.commit()
    page = client.get(f"/invanare/{anna.id}")
    assert page.status_code == 302 and "Anna" not in page.text  # signed out
    client = demo.staff("behandlare")  # signs in again, now without an assignment
    page = client.get(f"/invanare/{anna.id}")
    assert page.status_code == 404 and "Anna" not in page.text
    assert client.get("/invanare").status_code == 403
    [row] = pdl_rows(resident_id=anna.id)
    assert row.outcome == "denied" and row.assignment_id is None


@pytest.mark.parametrize("what", ["assignment", "unit"])
def test_an_ended_assignment_or_closed_unit_is_denied_with_the_context_logged(demo, what):
    client = demo.staff("behandlare")
    anna = demo.resident("anna")
    ended = _assignment(demo, "behandlare") if what == "assignment" else demo.org.units["nord"]
    ended.valid_to = clock.now().date() - timedelta(days=1)
    db.session.commit()
    page = client.get(f"/invanare/{anna.id}")
    assert page.status_code == 404 and "Anna" not in page.text
    assert client.get("/invanare").status_code == 403
    [row] = pdl_rows(resident_id=anna.id)
    assert row.outcome == "denied" and row.reason == "the assignment or unit is no longer valid"
    assert missing_context(row) == ["role"]  # no role is in force any more; the rest is known


def test_a_clinician_issues_a_one_time_code_the_child_signs_in_with(demo):
    client = demo.staff("behandlare")
    elsa = demo.resident("elsa")
    response = post(client, f"/invanare/{elsa.id}/engangskod", {"instance": demo.instances["elsa"]},
                    token_from=f"/invanare/{elsa.id}")
    assert response.status_code == 200
    code = re.search(r"<strong>([A-Z0-9]{3}-[A-Z0-9]{4}-[A-Z0-9]{4})</strong>", response.text).group(1)
    [row] = pdl_rows(resident_id=elsa.id, action="create")
    assert row.resource_type == "child_code" and row.outcome == "allowed" and missing_context(row) == []
    stored = db.session.scalar(select(ChildCode).where(ChildCode.resident_id == elsa.id))
    assert stored.instance_id == demo.instances["elsa"] and code not in stored.secret_hash
    child = demo.client()
    assert sign_in_child(child, code).status_code == 302
    assert demo.program in child.get("/mina-program").text


def test_no_code_for_an_adult_and_none_from_a_non_clinician(demo):
    client = demo.staff("behandlare")
    anna = demo.resident("anna")
    refused = post(client, f"/invanare/{anna.id}/engangskod", {"instance": demo.instances["anna"]},
                   token_from=f"/invanare/{anna.id}")
    assert refused.status_code == 400
    admin = demo.staff("invanaradmin")
    elsa = demo.resident("elsa")
    forbidden = post(admin, f"/invanare/{elsa.id}/engangskod", {"instance": demo.instances["elsa"]},
                     token_from=f"/invanare/{elsa.id}")
    assert forbidden.status_code == 403
    assert db.session.scalars(select(ChildCode)).all() == []


def test_no_code_for_a_child_on_another_unit(demo):
    client = demo.staff("syd")
    elsa = demo.resident("elsa")
    response = post(client, f"/invanare/{elsa.id}/engangskod", {"instance": demo.instances["elsa"]},
                    token_from="/invanare")
    assert response.status_code == 404 and "Elsa" not in response.text
    assert [r.outcome for r in pdl_rows(resident_id=elsa.id, action="create")] == ["denied"]


def test_signed_out_visitors_are_sent_to_sign_in_and_others_are_refused(demo):
    anonymous = demo.client()
    assert anonymous.get("/invanare").status_code == 302
    designer = demo.staff("designer")
    assert designer.get("/invanare").status_code == 403
    page = designer.get(f"/invanare/{demo.resident('anna').id}")
    assert page.status_code == 404 and [r.outcome for r in pdl_rows(resident_id=demo.resident("anna").id)] == [
        "denied"]



def test_a_search_by_personnummer_leaves_it_in_no_address_and_no_log_line(demo, caplog):
    # Given a clinician searching for a resident by personnummer, then the number travels in the
    # request body only: it is in no address requested or redirected to, and in no log line.
    import logging
    caplog.set_level(logging.DEBUG)
    anna = demo.resident("anna")
    client = demo.staff("behandlare")
    forms = {personnummer.formatted(anna.personnummer), anna.personnummer}
    response = post(client, "/invanare", {"q": personnummer.formatted(anna.personnummer)})
    assert "Anna Andersson" in response.text
    addresses = [response.request.url] + [r.request.url for r in response.history]
    assert not [a for a in addresses if any(number in a for number in forms)]
    assert not [line for line in caplog.text.splitlines() if any(number in line for number in forms)]
    hits = len(pdl_rows(action="search_hit"))
    client.get("/invanare", query_string={"q": "Anna"})  # an old bookmark: the list, not a search
    assert len(pdl_rows(action="search_hit")) == hits
