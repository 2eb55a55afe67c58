"""Administration screens: each administrator changes only their own unit, care provider or, for
national management, the platform's organisations; every attempt outside is refused and logged."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from access.models import Assignment, CareProvider, PublisherUnit, RoleGrant, Unit
from engine import clock
from engine.db import db
from tests.web.signin import demo, post, security_events  # noqa: F401


def _grants(staff, role, scope_id):
    return db.session.scalars(select(RoleGrant).where(RoleGrant.staff_id == staff.id, RoleGrant.role == role,
                                                      RoleGrant.scope_id == scope_id,
                                                      RoleGrant.revoked_at.is_(None))).all()


def test_an_access_admin_lists_the_units_staff_and_grants_and_revokes_a_role(demo):
    client = demo.staff("behorighetsadmin")
    nord, bodil = demo.org.units["nord"], demo.org.staff["behandlare"]
    page = client.get("/admin/behorigheter").text
    assert "Bodil Behandlare" in page and "Ivar Invånaradmin" in page
    assert "Sven" not in page and "Petra" not in page  # no assignment on Nord
    response = post(client, "/admin/behorigheter", {"op": "grant", "unit_id": nord.id, "staff_id": bodil.id,
                                                    "role": "loggranskare"})
    assert response.status_code == 302
    [grant] = _grants(bodil, "loggranskare", nord.id)
    assert grant.granted_by == demo.org.staff["behorighetsadmin"].id
    assert security_events("role_granted")[-1].subject == grant.id
    response = post(client, "/admin/behorigheter", {"op": "revoke", "unit_id": nord.id, "grant_id": grant.id})
    assert response.status_code == 302 and _grants(bodil, "loggranskare", nord.id) == []


def test_an_access_admin_cannot_reach_another_unit(demo):
    client = demo.staff("behorighetsadmin")
    syd, sven = demo.org.units["syd"], demo.org.staff["syd"]
    other_unit = post(client, "/admin/behorigheter", {"op": "grant", "unit_id": syd.id, "staff_id": sven.id,
                                                      "role": "invanaradmin"}, token_from="/admin/behorigheter")
    assert other_unit.status_code == 403 and _grants(sven, "invanaradmin", syd.id) == []
    [sven_grant] = _grants(sven, "behandlare", syd.id)
    nord_id = demo.org.units["nord"].id
    revoke = post(client, "/admin/behorigheter", {"op": "revoke", "unit_id": nord_id, "grant_id": sven_grant.id})
    assert revoke.status_code == 403 and _grants(sven, "behandlare", syd.id) != []
    no_assignment = post(client, "/admin/behorigheter", {"op": "grant", "unit_id": nord_id, "staff_id": sven.id,
                                                         "role": "behandlare"})
    assert no_assignment.status_code == 400 and _grants(sven, "behandlare", nord_id) == []
    assert len(security_events("access_refused")) == 2


def test_only_an_access_admin_opens_the_permissions_page(demo):
    assert demo.staff("behandlare").get("/admin/behorigheter").status_code == 403
    assert demo.client().get("/admin/behorigheter").status_code == 302


def test_a_care_provider_admin_sees_and_creates_units_of_their_provider_only(demo):
    client = demo.staff("vardgivaradmin")
    region = demo.org.providers["region"]
    page = client.get("/admin/vardenheter").text
    assert "Psykiatrimottagning Nord" in page and "Stängd mottagning" in page
    assert "Privat KBT-mottagning" not in page
    response = post(client, "/admin/vardenheter", {"op": "create_unit", "provider_id": region.id,
                                                   "hsa_id": "SE2321000016-1009", "name": "Ny mottagning"})
    assert response.status_code == 302
    created = db.session.scalar(select(Unit).where(Unit.hsa_id == "SE2321000016-1009"))
    assert created.care_provider_id == region.id and security_events("unit_created")[-1].subject == created.id


def test_a_unit_with_the_providers_hsa_id_is_refused_with_a_message(demo):
    client = demo.staff("vardgivaradmin")
    region = demo.org.providers["region"]
    response = post(client, "/admin/vardenheter", {"op": "create_unit", "provider_id": region.id,
                                                   "hsa_id": region.hsa_id, "name": "Dubblett"})
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert region.hsa_id in response.text  # the form keeps what was typed
    assert db.session.scalar(select(Unit).where(Unit.name == "Dubblett")) is None


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_unit_whose_hsa_id_is_not_one_is_refused_naming_the_format(demo, lang):
    # Before: anything up to 64 characters without a space was a HSA-id, "fel-hsa" too.
    from babel.support import Translations
    from web.shell.i18n import TRANSLATIONS
    client = demo.staff("vardgivaradmin")
    if lang == "en":
        post(client, "/sprak", {"lang": "en", "next": "/"}, token_from="/admin/vardenheter")
    region = demo.org.providers["region"]
    response = post(client, "/admin/vardenheter", {"op": "create_unit", "provider_id": region.id,
                                                   "hsa_id": "fel-hsa", "name": "Felaktig"})
    msgid = ("%(hsa_id)s is not a HSA-id. A HSA-id is SE, the 10-digit organisation number, a hyphen and "
             "1–31 letters A–Z or digits, for example SE2321000016-ABCD.")
    expected = Translations.load(str(TRANSLATIONS), [lang]).gettext(msgid) % {"hsa_id": "FEL-HSA"}
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert expected in response.text
    assert db.session.scalar(select(Unit).where(Unit.name == "Felaktig")) is None


@pytest.mark.parametrize("hsa_id, valid", [
    ("SE2321000016-ABCD", True), ("se2321000016-1a2b", True), ("SE165565594230-1000", True),
    ("SE2321000016-" + "9" * 31, True), ("fel-hsa", False), ("SE232100001-ABCD", False),
    ("SE2321000016ABCD", False), ("SE2321000016-", False), ("SE2321000016-AB CD", False),
    ("SE2321000016-ÅÄÖ", False), ("SE2321000016-" + "9" * 32, False), ("DK2321000016-ABCD", False),
])
def test_hsa_ids_have_their_real_format(ctx, hsa_id, valid):
    from access import directory
    if valid:
        assert directory.create_unit(directory.create_care_provider("SE2321000099-0001", "R"), hsa_id,
                                     "E").hsa_id == hsa_id.upper()
    else:
        with pytest.raises(directory.DirectoryError) as refused:
            directory.create_unit(directory.create_care_provider("SE2321000099-0001", "R"), hsa_id, "E")
        assert refused.value.code == "hsa_format"


def test_a_care_provider_admin_deactivates_own_units_but_not_another_providers(demo):
    client = demo.staff("vardgivaradmin")
    region, syd, private = demo.org.providers["region"], demo.org.units["syd"], demo.org.units["privat"]
    response = post(client, "/admin/vardenheter", {"op": "deactivate", "provider_id": region.id, "unit_id": syd.id})
    assert response.status_code == 302 and db.session.get(Unit, syd.id).active is False
    refused = post(client, "/admin/vardenheter", {"op": "deactivate", "provider_id": region.id,
                                                  "unit_id": private.id})
    assert refused.status_code == 403 and db.session.get(Unit, private.id).active is True
    other_provider = post(client, "/admin/vardenheter", {"op": "deactivate", "unit_id": private.id,
                                                         "provider_id": demo.org.providers["privat"].id})
    assert other_provider.status_code == 403


def test_care_provider_admins_are_granted_within_the_provider_only(demo):
    client = demo.staff("vardgivaradmin")
    region = demo.org.providers["region"]
    bodil, petra = demo.org.staff["behandlare"], demo.org.staff["privat"]
    granted = post(client, "/admin/vardenheter", {"op": "grant_admin", "provider_id": region.id,
                                                  "staff_hsa_id": bodil.hsa_id.lower()})
    assert granted.status_code == 302 and len(_grants(bodil, "vardgivaradmin", region.id)) == 1
    refused = post(client, "/admin/vardenheter", {"op": "grant_admin", "provider_id": region.id,
                                                  "staff_hsa_id": petra.hsa_id})
    assert refused.status_code == 400 and _grants(petra, "vardgivaradmin", region.id) == []
    page = client.get("/admin/vardenheter").text
    assert "Bodil Behandlare" in page
    [grant] = _grants(bodil, "vardgivaradmin", region.id)
    revoked = post(client, "/admin/vardenheter", {"op": "revoke_admin", "provider_id": region.id,
                                                  "grant_id": grant.id})
    assert revoked.status_code == 302 and _grants(bodil, "vardgivaradmin", region.id) == []


def test_only_a_care_provider_admin_opens_the_units_page(demo):
    for key in ("behorighetsadmin", "behandlare", "nationell"):
        assert demo.staff(key).get("/admin/vardenheter").status_code == 403


def test_national_management_creates_care_providers_and_publishing_units(demo):
    client = demo.staff("nationell")
    page = client.get("/admin/vardgivare").text
    assert "Region Demoland" in page and "Privat Psykologi AB" in page
    created = post(client, "/admin/vardgivare", {"hsa_id": "SE2321000099-0001", "name": "Region Ny",
                                                 "kind": "region"})
    assert created.status_code == 302
    assert db.session.scalar(select(CareProvider).where(CareProvider.name == "Region Ny")) is not None
    taken = post(client, "/admin/vardgivare", {"hsa_id": "SE2321000099-0001", "name": "Igen", "kind": "region"})
    assert taken.status_code == 400 and "SE2321000099-0001" in taken.text
    made = post(client, "/admin/utgivande-enheter", {"hsa_id": "SE2321000099-P001", "name": "Övningsredaktion",
                                                     "training": "1"})
    assert made.status_code == 302
    unit = db.session.scalar(select(PublisherUnit).where(PublisherUnit.hsa_id == "SE2321000099-P001"))
    assert unit.training is True
    assert "Övningsredaktion" in client.get("/admin/utgivande-enheter").text


def test_only_national_management_manages_providers(demo):
    client = demo.staff("vardgivaradmin")
    assert client.get("/admin/vardgivare").status_code == 403
    assert client.get("/admin/utgivande-enheter").status_code == 403
    refused = post(client, "/admin/vardgivare", {"hsa_id": "SE2321000099-0002", "name": "X", "kind": "region"},
                   token_from="/")
    assert refused.status_code == 403
    assert db.session.scalar(select(CareProvider).where(CareProvider.name == "X")) is None


@pytest.mark.parametrize("what", ["assignment", "unit"])
def test_an_ended_assignment_or_closed_unit_ends_administration_at_once(demo, what):
    client = demo.staff("behorighetsadmin")
    berit = demo.org.staff["behorighetsadmin"]
    assignment = db.session.scalar(select(Assignment).where(Assignment.staff_id == berit.id))
    ended = assignment if what == "assignment" else assignment.unit
    ended.valid_to = clock.now().date() - timedelta(days=1)
    db.session.commit()
    page = client.get("/admin/behorigheter")
    assert page.status_code == 403 and "Bodil" not in page.text
    assert security_events("access_refused")[-1].actor_id == berit.id


def test_the_grant_form_offers_only_roles_not_yet_held(demo):
    page = demo.staff("behorighetsadmin").get("/admin/behorigheter").text
    bodil = demo.org.staff["behandlare"]
    form = page[page.index(f'id="role-{bodil.id}"'):]
    options = re.findall(r'<option value="([a-z_]+)"', form[:form.index("</select>")])
    assert options == ["behorighetsadmin", "invanaradmin", "loggranskare"]


def test_an_access_admin_cannot_grant_herself_a_clinical_role(demo):
    # Given an access administrator with an assignment on her unit, when she grants herself
    # behandlare, then she is told to ask another administrator, gets no grant, cannot read a
    # resident, and the attempt is a security event.
    client = demo.staff("behorighetsadmin")
    nord, admin = demo.org.units["nord"], demo.org.staff["behorighetsadmin"]
    response = post(client, "/admin/behorigheter", {"op": "grant", "unit_id": nord.id, "staff_id": admin.id,
                                                    "role": "behandlare"})
    assert response.status_code == 400
    assert "Be en annan administratör" in response.text
    assert _grants(admin, "behandlare", nord.id) == []
    assert security_events("role_grant_refused")[-1].actor_id == admin.id
    assert client.get("/invanare").status_code == 403
