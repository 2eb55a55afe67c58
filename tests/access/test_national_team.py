"""National management's lead: one of the team, appointed by another member, never by oneself;
leaving the team ends the lead role too; until one is appointed escalations reach the whole team."""
from __future__ import annotations

import pytest

from access import directory, national
from access.models import RoleGrant
from engine.db import db


@pytest.fixture()
def team(ctx):
    nora = directory.create_staff("SE2321000016-NF01", "Nora", "Först", email="nora@nf.example.se")
    nils = directory.create_staff("SE2321000016-NF02", "Nils", "Andra", email="nils@nf.example.se")
    for member in (nora, nils):
        directory.grant_role(member, "nationell_forvaltning", "platform", None, granted_by="setup")
    db.session.commit()
    return nora, nils


def test_until_a_lead_is_appointed_escalations_reach_the_whole_team(team):
    nora, nils = team
    assert {s.id for s in national.escalation_recipients()} == {nora.id, nils.id}
    national.appoint_lead(nils.id, nora.id)
    assert [s.id for s in national.escalation_recipients()] == [nils.id]
    assert [(m.staff.id, m.is_lead) for m in national.members()] == [(nils.id, True), (nora.id, False)]


def test_nobody_appoints_themselves_and_the_lead_is_one_of_the_team(team):
    nora, _nils = team
    with pytest.raises(directory.DirectoryError) as itself:
        national.appoint_lead(nora.id, nora.id)
    assert itself.value.code == "self_grant"
    outsider = directory.create_staff("SE2321000016-X001", "Otto", "Utanför")
    with pytest.raises(directory.DirectoryError) as outside:
        national.appoint_lead(outsider.id, nora.id)
    assert outside.value.code == "lead_not_national"
    with pytest.raises(directory.DirectoryError):  # nor around the team's own page
        directory.grant_role(outsider, "forvaltningsledare", "platform", None, granted_by=nora.id)


def test_leaving_national_management_ends_the_lead_role(team):
    nora, nils = team
    national.appoint_lead(nils.id, nora.id)
    [membership] = db.session.query(RoleGrant).filter_by(staff_id=nils.id, role="nationell_forvaltning").all()
    directory.revoke_role(membership, nora.id)
    assert national.leads() == [] and [s.id for s in national.escalation_recipients()] == [nora.id]


def test_a_new_member_needs_an_email_for_the_activation_link(team):
    nora, _nils = team
    with pytest.raises(directory.DirectoryError) as refused:
        national.add_member("SE2321000016-NF09", "Ny", "Medlem", "", nora.id)
    assert refused.value.code == "email_required"
    added = national.add_member("SE2321000016-NF09", "Ny", "Medlem", "ny@nf.example.se", nora.id)
    assert added.id in {m.staff.id for m in national.members()}
