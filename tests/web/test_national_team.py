"""National management's team page: members, the lead whom escalations reach, adding a member with
an activation link; nobody else opens it, and nobody appoints themselves."""
from __future__ import annotations

from sqlalchemy import select

from access import national
from access.models import Staff
from engine.db import db
from notify.models import OutboxMessage
from tests.web.signin import demo, post, security_events  # noqa: F401

PAGE = "/admin/nationell-forvaltning"


def test_national_management_adds_a_member_who_gets_an_activation_link_and_appoints_them_lead(demo):
    client = demo.staff("nationell")
    page = client.get(PAGE).text
    nina = demo.org.staff["nationell"]
    assert "Nina Nationell" in page and "Förvaltningsledare" in page and 'id="no-lead"' not in page
    added = post(client, PAGE, {"op": "add", "hsa_id": "SE2321000016-N002", "given_name": "Nils",
                                "family_name": "Nyström", "email": "nils@nf.example.se"})
    assert added.status_code == 302
    nils = db.session.scalar(select(Staff).where(Staff.hsa_id == "SE2321000016-N002"))
    page = client.get(added.headers["Location"]).text
    assert "Medlemmen lades till" in page and f'id="enrol-{nils.id}"' in page and "Väntar på aktivering" in page
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "staff_enrolment")).all()
    assert mail.recipient_id == nils.id and "/aktivera/" in mail.body
    assert post(client, PAGE, {"op": "lead", "staff_id": nils.id}).status_code == 302
    assert post(client, PAGE, {"op": "end_lead", "staff_id": nina.id}).status_code == 302
    assert [s.id for s in national.escalation_recipients()] == [nils.id]
    assert security_events("role_granted")[-1].detail == "forvaltningsledare on platform"


def test_without_a_lead_the_page_says_escalations_reach_everyone_and_nobody_appoints_themselves(demo):
    client = demo.staff("nationell")
    nina = demo.org.staff["nationell"]
    assert post(client, PAGE, {"op": "end_lead", "staff_id": nina.id}).status_code == 302
    assert 'id="no-lead"' in client.get(PAGE).text
    refused = post(client, PAGE, {"op": "lead", "staff_id": nina.id})
    assert refused.status_code == 400 and "Du kan inte ge dig själv en roll" in refused.text
    assert national.leads() == []


def test_a_bad_member_keeps_what_was_typed_and_names_the_problem(demo):
    client = demo.staff("nationell")
    refused = post(client, PAGE, {"op": "add", "hsa_id": "inte-ett-id", "given_name": "Nils",
                                  "family_name": "Nyström", "email": "nils@nf.example.se"})
    assert refused.status_code == 400 and "inte-ett-id" in refused.text and "nils@nf.example.se" in refused.text
    assert db.session.scalar(select(Staff).where(Staff.given_name == "Nils")) is None


def test_only_national_management_opens_the_page_and_a_forged_member_is_refused(demo):
    assert demo.staff("vardgivaradmin").get(PAGE).status_code == 403
    client = demo.staff("nationell")
    outsider = demo.org.staff["designer"]
    assert post(client, PAGE, {"op": "lead", "staff_id": outsider.id}).status_code == 403
    assert national.leads()[0].id == demo.org.staff["nationell"].id
