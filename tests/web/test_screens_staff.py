"""The access administrator's staff page (/admin/medarbetaruppdrag): new staff with their first
assignment, assignments for people already on the platform, ending one; always on the admin's own
unit, each change a security event, and a refused form kept as typed with the field named."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from access import directory
from access.models import Assignment, RoleGrant, Staff
from engine import clock
from engine.db import db
from tests.web.signin import demo, post, security_events  # noqa: F401

PAGE = "/admin/medarbetaruppdrag"
NEW_HSA = "SE2321000016-K001"


def _new_staff(client, unit_id, **fields):
    data = {"op": "create_staff", "unit_id": unit_id, "hsa_id": NEW_HSA, "given_name": "Klara",
            "family_name": "Kurator", "email": "klara@example.se", "purpose": "vard_och_behandling",
            "valid_from": "", "valid_to": ""}
    return post(client, PAGE, {**data, **fields})


def _assignments(staff_id, unit_id):
    return db.session.scalars(select(Assignment).where(Assignment.staff_id == staff_id,
                                                       Assignment.unit_id == unit_id)).all()


def _staff_count(hsa_id):
    return db.session.scalar(select(func.count(Staff.id)).where(Staff.hsa_id == hsa_id))


def test_an_access_admin_adds_a_staff_member_who_can_then_be_granted_a_role(demo):
    client = demo.staff("behorighetsadmin")
    nord, berit = demo.org.units["nord"], demo.org.staff["behorighetsadmin"]
    response = _new_staff(client, nord.id, hsa_id=NEW_HSA.lower())
    assert response.status_code == 302
    klara = db.session.scalar(select(Staff).where(Staff.hsa_id == NEW_HSA))
    assert (klara.given_name, klara.email, klara.is_test) == ("Klara", "klara@example.se", False)
    [assignment] = _assignments(klara.id, nord.id)
    assert assignment.purpose == "vard_och_behandling" and assignment.valid_from == clock.local_today()
    assert assignment.valid_to is None and assignment.revoked_at is None
    staff_event, assignment_event = security_events("staff_created")[-1], security_events("assignment_added")[-1]
    assert (staff_event.subject, staff_event.actor_id) == (klara.id, berit.id)
    assert (assignment_event.subject, assignment_event.actor_id) == (assignment.id, berit.id)
    page = client.get(PAGE).text
    assert "Klara Kurator" in page and NEW_HSA in page
    granted = post(client, "/admin/behorigheter", {"op": "grant", "unit_id": nord.id, "staff_id": klara.id,
                                                   "role": "behandlare"})
    assert granted.status_code == 302
    assert db.session.scalar(select(RoleGrant).where(RoleGrant.staff_id == klara.id, RoleGrant.scope_id == nord.id,
                                                     RoleGrant.role == "behandlare")) is not None


def test_an_existing_hsa_id_offers_an_assignment_instead_of_a_duplicate(demo):
    client = demo.staff("behorighetsadmin")
    nord, sven = demo.org.units["nord"], demo.org.staff["syd"]
    response = _new_staff(client, nord.id, hsa_id=sven.hsa_id, given_name="Sven-Typed", valid_to="2027-06-30")
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert _staff_count(sven.hsa_id) == 1 and _assignments(sven.id, nord.id) == []
    assert "Sven Sydbehandlare" in response.text and 'value="Sven-Typed"' in response.text
    offer = response.text[response.text.index('value="create_assignment"'):]
    assert f'value="{sven.hsa_id}"' in offer and 'value="2027-06-30"' in offer  # the terms typed come along
    accepted = post(client, PAGE, {"op": "create_assignment", "unit_id": nord.id, "hsa_id": sven.hsa_id,
                                   "purpose": "vard_och_behandling", "valid_from": "", "valid_to": "2027-06-30"})
    assert accepted.status_code == 302
    [assignment] = _assignments(sven.id, nord.id)
    assert assignment.valid_to.isoformat() == "2027-06-30"
    assert security_events("assignment_added")[-1].subject == assignment.id


def test_a_hsa_id_that_is_not_one_is_named_in_the_page_and_nothing_typed_is_lost(demo):
    client = demo.staff("behorighetsadmin")
    nord = demo.org.units["nord"]
    response = _new_staff(client, nord.id, hsa_id="fel-hsa", email="klara@", given_name="Kl<a>ra")
    assert response.status_code == 400
    page = response.text
    assert 'href="#create_staff-hsa_id"' in page and "FEL-HSA" in page
    assert 'id="create_staff-hsa_id-error"' in page and 'aria-invalid="true" aria-describedby="create_staff-hsa_id-error' in page
    assert 'id="create_staff-email-error"' in page  # every problem at once
    assert 'value="fel-hsa"' in page and 'value="Kl&lt;a&gt;ra"' in page and 'value="Kurator"' in page
    assert _staff_count("FEL-HSA") == 0 and security_events("staff_created") == []


def test_names_are_required_and_their_length_limit_is_said(demo):
    client = demo.staff("behorighetsadmin")
    nord = demo.org.units["nord"]
    response = _new_staff(client, nord.id, given_name="K" * 101, family_name="")
    assert response.status_code == 400
    assert 'id="create_staff-given_name-error"' in response.text and "100" in response.text
    assert 'id="create_staff-family_name-error"' in response.text
    assert _staff_count(NEW_HSA) == 0


@pytest.mark.parametrize("dates, wrong", [
    ({"valid_from": "2026-13-01"}, "valid_from"),
    ({"valid_to": "30/6 2027"}, "valid_to"),
    ({"valid_from": "2027-01-10", "valid_to": "2027-01-09"}, "valid_to"),
    ({"valid_from": "2026-11-23"}, "valid_from"),  # yesterday: an assignment is never dated back
])
def test_an_assignment_with_bad_dates_is_refused_on_the_date_field(demo, dates, wrong):
    client = demo.staff("behorighetsadmin")
    nord, sven = demo.org.units["nord"], demo.org.staff["syd"]
    data = {"op": "create_assignment", "unit_id": nord.id, "hsa_id": sven.hsa_id, "purpose": "vard_och_behandling",
            "valid_from": "", "valid_to": "", **dates}
    response = post(client, PAGE, data)
    assert response.status_code == 400 and f'id="create_assignment-{wrong}-error"' in response.text
    assert _assignments(sven.id, nord.id) == []
    new_person = _new_staff(client, nord.id, **dates)
    assert new_person.status_code == 400 and f'id="create_staff-{wrong}-error"' in new_person.text
    assert _staff_count(NEW_HSA) == 0  # a refused assignment leaves no one behind without one


def test_an_unknown_purpose_and_an_overlapping_assignment_are_refused(demo):
    client = demo.staff("behorighetsadmin")
    nord, bodil = demo.org.units["nord"], demo.org.staff["behandlare"]
    base = {"op": "create_assignment", "unit_id": nord.id, "hsa_id": bodil.hsa_id, "valid_from": "", "valid_to": ""}
    unknown = post(client, PAGE, {**base, "purpose": "forskning"})
    assert unknown.status_code == 400 and 'id="create_assignment-purpose-error"' in unknown.text
    overlapping = post(client, PAGE, {**base, "purpose": "vard_och_behandling"})
    assert overlapping.status_code == 400 and len(_assignments(bodil.id, nord.id)) == 1
    other_purpose = post(client, PAGE, {**base, "purpose": "administration"})
    assert other_purpose.status_code == 302 and len(_assignments(bodil.id, nord.id)) == 2


def test_an_access_admin_ends_an_assignment_and_the_sessions_on_it(demo):
    bodil_client = demo.staff("behandlare")
    client = demo.staff("behorighetsadmin")
    nord, bodil, berit = demo.org.units["nord"], demo.org.staff["behandlare"], demo.org.staff["behorighetsadmin"]
    [assignment] = _assignments(bodil.id, nord.id)
    response = post(client, PAGE, {"op": "end", "unit_id": nord.id, "assignment_id": assignment.id})
    assert response.status_code == 302
    db.session.refresh(assignment)
    assert assignment.revoked_at is not None and not assignment.is_valid(clock.local_today())
    event = security_events("assignment_revoked")[-1]
    assert (event.subject, event.actor_id, event.detail) == (assignment.id, berit.id, "1 sessions ended")
    assert bodil_client.get("/uppgifter").status_code in (302, 403)
    # Her last assignment on the unit: its roles go too, so a later assignment starts without them.
    assert db.session.scalars(select(RoleGrant).where(RoleGrant.staff_id == bodil.id, RoleGrant.scope_id == nord.id,
                                                      RoleGrant.revoked_at.is_(None))).all() == []
    assert security_events("role_revoked")[-1].actor_id == berit.id
    page = client.get(PAGE).text
    row = page[page.index("Bodil Behandlare"):]
    assert f'value="{assignment.id}"' not in row[:row.index("</tr>")]  # no second "end" for an ended one


def test_an_access_admin_cannot_end_their_own_admin_assignment(demo):
    client = demo.staff("behorighetsadmin")
    nord, berit = demo.org.units["nord"], demo.org.staff["behorighetsadmin"]
    [own] = _assignments(berit.id, nord.id)
    response = post(client, PAGE, {"op": "end", "unit_id": nord.id, "assignment_id": own.id})
    assert response.status_code == 400 and 'role="alert"' in response.text
    db.session.refresh(own)
    assert own.revoked_at is None
    assert security_events("assignment_end_refused")[-1].actor_id == berit.id
    page = client.get(PAGE).text
    assert f'value="{own.id}"' not in page  # no button that can only be refused
    assert "Din egen: en annan administratör kan avsluta den" in page


def test_another_units_assignment_or_unit_is_refused(demo):
    client = demo.staff("behorighetsadmin")
    nord, syd, sven = demo.org.units["nord"], demo.org.units["syd"], demo.org.staff["syd"]
    [svens] = _assignments(sven.id, syd.id)
    ended = post(client, PAGE, {"op": "end", "unit_id": nord.id, "assignment_id": svens.id})
    assert ended.status_code == 403
    db.session.refresh(svens)
    assert svens.revoked_at is None
    other_unit = _new_staff(client, syd.id)
    assert other_unit.status_code == 403 and _staff_count(NEW_HSA) == 0
    assert len(security_events("access_refused")) == 2
    assert "Sven" not in client.get(PAGE).text  # only the unit's own assignments are listed


def test_only_an_access_admin_opens_the_staff_page(demo):
    assert demo.staff("behandlare").get(PAGE).status_code == 403
    assert demo.staff("vardgivaradmin").get(PAGE).status_code == 403
    assert demo.client().get(PAGE).status_code == 302


def test_the_two_admin_pages_link_to_each_other(demo):
    client = demo.staff("behorighetsadmin")
    assert f'href="{PAGE}"' in client.get("/admin/behorigheter").text
    assert 'href="/admin/behorigheter"' in client.get(PAGE).text


def test_an_assignment_state_is_valid_not_yet_valid_or_ended(ctx):
    today = clock.local_today()
    provider = directory.create_care_provider("SE2321000099-0001", "R")
    unit = directory.create_unit(provider, "SE2321000099-1001", "E")
    staff = directory.register_staff("SE2321000099-S001", "A", "B", None, actor_id="admin")
    later = directory.create_assignment(staff, unit, "administration", today + timedelta(days=3), None, "admin")
    now = directory.create_assignment(staff, unit, "vard_och_behandling", None, today + timedelta(days=1), "admin")
    assert directory.assignment_state(later, today) == "not_yet_valid"
    assert directory.assignment_state(now, today) == "valid"
    assert directory.assignment_state(now, today + timedelta(days=2)) == "ended"
    directory.grant_role(staff, "behandlare", "unit", unit.id, granted_by="admin")
    directory.end_assignment(later, actor_id="admin")
    assert directory.assignment_state(later, today) == "ended"
    assert db.session.scalar(select(RoleGrant.revoked_at).where(RoleGrant.staff_id == staff.id)) is None  # one left
    directory.end_assignment(now, actor_id="admin")
    assert db.session.scalar(select(RoleGrant.revoked_at).where(RoleGrant.staff_id == staff.id)) is not None


def test_a_second_staff_member_cannot_take_anothers_sign_in_e_mail(ctx):
    directory.register_staff("SE2321000099-S001", "A", "B", "same@example.se", actor_id="admin")
    with pytest.raises(directory.DirectoryError) as refused:
        directory.register_staff("SE2321000099-S002", "C", "D", "SAME@example.se", actor_id="admin")
    assert refused.value.code == "email_taken"


def test_an_access_admin_sends_an_activation_link_and_a_resend_replaces_it(demo):
    from access.models import EnrolmentToken
    from notify.models import OutboxMessage
    client = demo.staff("behorighetsadmin")
    nord = demo.org.units["nord"]
    assert _new_staff(client, nord.id).status_code == 302
    klara = db.session.scalar(select(Staff).where(Staff.hsa_id == NEW_HSA))
    assert f'id="enrol-{klara.id}"' in client.get(PAGE).text
    for _ in range(2):
        sent = post(client, PAGE, {"op": "enrol", "unit_id": nord.id, "staff_id": klara.id})
        assert sent.status_code == 302
    tokens = db.session.scalars(select(EnrolmentToken).where(EnrolmentToken.staff_id == klara.id)).all()
    assert len(tokens) == 2 and sum(t.revoked_at is None for t in tokens) == 1
    bodies = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.kind == "staff_enrolment")).all()
    assert len(bodies) == 2 and all("/aktivera/" in body for body in bodies)
    assert security_events("staff_enrolment_issued")[-1].subject == klara.id
    # Someone who already has credentials is not offered a link, and a forged request is refused.
    berit = demo.org.staff["behorighetsadmin"]
    assert f'id="enrol-{berit.id}"' not in client.get(PAGE).text
    assert post(client, PAGE, {"op": "enrol", "unit_id": nord.id, "staff_id": berit.id}).status_code == 400


def test_the_activation_link_is_built_on_the_platforms_own_address_not_the_requests_host(demo, monkeypatch):
    """Production sets VARDFLODE_PUBLIC_URL: the link goes to the platform's own address, whatever
    address the administrator's request came in on (here the test client's localhost)."""
    from flask import current_app

    from notify.models import OutboxMessage
    monkeypatch.setitem(current_app.config, "PUBLIC_URL", "https://vardflode.region.se")
    client = demo.staff("behorighetsadmin")
    nord = demo.org.units["nord"]
    assert _new_staff(client, nord.id).status_code == 302
    klara = db.session.scalar(select(Staff).where(Staff.hsa_id == NEW_HSA))
    sent = post(client, PAGE, {"op": "enrol", "unit_id": nord.id, "staff_id": klara.id})
    assert sent.status_code == 302
    [body] = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.kind == "staff_enrolment")).all()
    assert "https://vardflode.region.se/aktivera/" in body and "localhost" not in body
