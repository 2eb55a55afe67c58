"""The onboarding case on the real database: the form's checks before anything exists, national
management's completion rounds, and an approval that creates the organisation in one step."""
from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

import engine
from access import directory
from access.models import CareProvider, PublisherUnit, RoleGrant, Staff, Unit
from access.principal import Principal, active_grants
from access.records import SecurityEvent
from engine.db import db
from onboarding import process
from onboarding.application import ApplicationInvalid
from onboarding.kinds import R17_ROLES
from onboarding.models import OnboardingApplication


def principal(staff) -> Principal:
    grants = active_grants(staff.id)
    return Principal(kind="staff", id=staff.id, display_name=staff.display_name, auth_method="password_totp",
                     session_hash="", grants=grants, roles={g.role for g in grants})


@pytest.fixture()
def people(ctx):
    engine.clock.freeze(datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc))
    boss = directory.create_staff("SE2321000016-NF01", "Nora", "Förvaltare")
    national = directory.create_staff("SE2321000016-NF02", "Nils", "Förvaltning", email="nils@nf.example.se")
    directory.grant_role(national, "nationell_forvaltning", "platform", None, granted_by=boss.id)
    region = directory.create_care_provider("SE2321000099-0001", "Region Väst")
    other = directory.create_care_provider("SE2321000088-0001", "Region Öst")
    west_admin = directory.create_staff("SE2321000099-VGA1", "Vera", "Väst", email="vera@vast.example.se")
    east_admin = directory.create_staff("SE2321000088-VGA1", "Östen", "Öst")
    directory.grant_role(west_admin, "vardgivaradmin", "care_provider", region.id, granted_by=boss.id)
    directory.grant_role(east_admin, "vardgivaradmin", "care_provider", other.id, granted_by=boss.id)
    db.session.commit()
    return {"national": principal(national), "west": principal(west_admin), "east": principal(east_admin),
            "region": region}


def region_form() -> dict:
    persons = {role: {"name": f"Anna {role.capitalize()}", "email": f"{role}@regionnord.se", "phone": "010-123 45 67"}
               for role in R17_ROLES}
    persons["vardgivaradmin"]["hsa_id"] = "SE2321000077-ADM1"
    return {"kind": "stod_och_behandling", "organisation_name": "Region Nord", "provider_hsa_id": "SE2321000077-0001",
            "units": [{"hsa_id": "SE2321000077-U001", "name": "Psykiatri Nord"},
                      {"hsa_id": "SE2321000077-U002", "name": "Vårdcentral Nord"}],
            "persons": persons, "agreements": {"kundavtal_2": "2026-02-01"}}


def created_anything() -> int:
    return sum(db.session.scalar(select(func.count()).select_from(model))
               for model in (CareProvider, Unit, PublisherUnit, Staff, RoleGrant))


def fields(err) -> dict:
    return {p.field: p.code for p in err.value.problems}


def test_a_unit_with_the_providers_hsa_id_is_refused_on_the_form_and_nothing_is_written(people):
    form = region_form()
    form["units"][1]["hsa_id"] = form["provider_hsa_id"]
    form["units"][0]["hsa_id"] = "SE2321000099-0001"  # Region Väst's
    before = created_anything()
    with pytest.raises(ApplicationInvalid) as err:
        process.submit(people["national"], form)
    assert fields(err) == {"units.1.hsa_id": "unit_shares_provider_hsa", "units.0.hsa_id": "hsa_taken"}
    assert created_anything() == before
    assert db.session.scalar(select(func.count()).select_from(OnboardingApplication)) == 0


def test_the_form_names_every_missing_person_agreement_and_bad_id(people):
    form = region_form()
    del form["persons"]["utgivare"]
    form["persons"]["kommunikator"]["email"] = "inte en adress"
    form["persons"]["vardgivaradmin"]["hsa_id"] = "ADM1"
    form["agreements"] = {}
    with pytest.raises(ApplicationInvalid) as err:
        process.submit(people["national"], form)
    assert fields(err) == {"persons.utgivare.name": "required", "persons.utgivare.email": "email_format",
                           "persons.kommunikator.email": "email_format",
                           "persons.vardgivaradmin.hsa_id": "hsa_format",
                           "agreements.kundavtal_2": "agreement_required"}


def test_a_private_provider_needs_its_region_and_both_mirrored_agreements(people):
    form = {"kind": "privat_vardgivare", "organisation_name": "Terapi AB", "provider_hsa_id": "SE5566778899-0001",
            "region_provider_id": people["region"].id,
            "units": [{"hsa_id": "SE5566778899-U001", "name": "Terapi AB Göteborg"}],
            "persons": {role: {"name": "Per Privat", "email": "per@terapi.se", "hsa_id": "SE5566778899-ADM1"}
                        for role in ("projektledare", "kommunikator", "vardgivaradmin", "behandlare")},
            "agreements": {"region_agreement": "2026-01-15"}}
    with pytest.raises(ApplicationInvalid) as err:
        process.submit(people["west"], form)
    assert fields(err) == {"agreements.personuppgiftsbitradesavtal_2": "agreement_required"}
    with pytest.raises(process.OnboardingForbidden):  # another region does not connect West's provider
        process.submit(people["east"], {**form, "agreements": {**form["agreements"],
                                                              "personuppgiftsbitradesavtal_2": "2026-01-15"}})
    form["agreements"]["personuppgiftsbitradesavtal_2"] = "2026-01-15"
    found = process.submit(people["west"], form)
    assert found.region_provider_id == people["region"].id


def test_completion_then_approval_creates_the_organisation_and_its_first_administrator(people):
    national = people["national"]
    form = region_form()
    form["agreements"] = {"kundavtal_2": "2026-02-01"}
    before = created_anything()
    found = process.submit(national, form)
    db.session.commit()
    assert created_anything() == before

    with pytest.raises(process.OnboardingError) as err:
        process.review(national, found.id, decision="complete")
    assert err.value.code == "comment_required"
    process.review(national, found.id, decision="complete", comment="Lägg till enheten för barn.")
    assert found.state == "completion_requested" and found.rounds == 1
    assert [t.element_id for t in engine.ready_tasks(found.instance_id)] == ["complete_application"]
    assert created_anything() == before

    form["units"].append({"hsa_id": "SE2321000077-U003", "name": "BUP Nord"})
    process.complete(national, found.id, form, "Enheten för barn tillagd.")
    assert [t.element_id for t in engine.ready_tasks(found.instance_id)] == ["review_application"]
    process.review(national, found.id, decision="approve")
    db.session.commit()

    provider = db.session.scalar(select(CareProvider).where(CareProvider.hsa_id == "SE2321000077-0001"))
    assert provider.name == "Region Nord"
    units = db.session.scalars(select(Unit).where(Unit.care_provider_id == provider.id)).all()
    assert sorted(u.hsa_id for u in units) == ["SE2321000077-U001", "SE2321000077-U002", "SE2321000077-U003"]
    admin = directory.staff_by_hsa_id("SE2321000077-ADM1")
    assert admin.email == "vardgivaradmin@regionnord.se"
    assert [(g.role, g.scope_id, g.granted_by) for g in active_grants(admin.id)] == [
        ("vardgivaradmin", provider.id, national.id)]
    assert engine.instance(found.instance_id).status == "completed"
    assert found.state == "approved" and found.region_provider_id == provider.id
    kinds = set(db.session.scalars(select(SecurityEvent.kind)))
    assert {"care_provider_created", "unit_created", "staff_created", "role_granted", "onboarding_approved"} <= kinds


def test_a_refused_application_creates_nothing(people):
    found = process.submit(people["national"], region_form())
    before = created_anything()
    process.review(people["national"], found.id, decision="refuse", comment="Kundavtalet gäller inte tjänsten.")
    db.session.commit()
    assert found.state == "refused"
    assert created_anything() == before
    assert engine.instance(found.instance_id).status == "completed"


def test_an_hsa_id_taken_after_the_form_refuses_the_approval_and_nothing_is_created(people):
    found = process.submit(people["national"], region_form())
    db.session.commit()
    directory.create_publisher_unit("SE2321000077-U002", "Någon annans utgivarenhet")
    db.session.commit()
    before = created_anything()
    with pytest.raises(ApplicationInvalid) as err:
        process.review(people["national"], found.id, decision="approve")
    db.session.rollback()
    assert fields(err) == {"units.1.hsa_id": "hsa_taken"}
    assert created_anything() == before
    assert [t.element_id for t in engine.ready_tasks(found.instance_id)] == ["review_application"]


def test_only_national_management_reviews_and_regions_see_only_their_own(people):
    form = region_form()
    form.update(kind="designverktyget", provider_hsa_id="SE2321000099-0001", units=[],
                publisher_units=[{"hsa_id": "SE2321000099-P001", "name": "Väst utgivare"}])
    west_case = process.submit(people["west"], form)
    north_case = process.submit(people["national"], region_form())
    with pytest.raises(process.OnboardingForbidden):
        process.review(people["west"], west_case.id, decision="approve")
    assert [a.id for a in process.visible_to(people["west"])] == [west_case.id]
    assert process.visible_to(people["east"]) == []
    assert {a.id for a in process.visible_to(people["national"])} == {west_case.id, north_case.id}


def test_the_rounds_are_bounded(people):
    national = people["national"]
    found = process.submit(national, region_form())
    for round_nr in range(3):
        process.review(national, found.id, decision="complete", comment=f"Omgång {round_nr + 1}.")
        process.complete(national, found.id, region_form(), "Kompletterat.")
    assert [t.element_id for t in engine.ready_tasks(found.instance_id)] == ["final_review"]
    with pytest.raises(process.OnboardingError) as err:
        process.review(national, found.id, decision="complete", comment="En gång till.")
    assert err.value.code == "rounds_used"
    process.review(national, found.id, decision="approve")
    assert found.state == "approved"


def test_approval_sends_the_first_administrator_an_enrolment_link(people):
    from notify.models import OutboxMessage
    national = people["national"]
    found = process.submit(national, region_form())
    db.session.commit()
    queued: list[str] = []
    process.review(national, found.id, decision="approve", base_url="https://vardflode.example/", queued=queued)
    db.session.commit()
    admin = directory.staff_by_hsa_id("SE2321000077-ADM1")
    message = db.session.get(OutboxMessage, queued[0])
    assert message.kind == "staff_enrolment" and message.recipient == admin.email
    assert "https://vardflode.example/aktivera/" in message.body
    assert admin.password_hash is None  # until the administrator uses the link
    assert "staff_enrolment_issued" in set(db.session.scalars(select(SecurityEvent.kind)))
