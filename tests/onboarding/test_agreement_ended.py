"""Agreement ended (R33) on the real database: only the connecting region reports, national
management must confirm, nothing is deactivated while a program runs on the provider's units, and
afterwards nobody signs in there and nothing new starts."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

import catalogue
import engine
from access import directory
from access.models import Assignment, CareProvider, PublisherUnit, Unit
from access.principal import Principal, _in_force, active_grants
from access.records import SecurityEvent
from engine.db import db
from onboarding import agreement_ended as ending
from onboarding import process
from onboarding.process import OnboardingError, OnboardingForbidden
from tests.catalogue.programs import stored
from tests.support.publishing import publish_approved


def principal(staff) -> Principal:
    grants = active_grants(staff.id)
    return Principal(kind="staff", id=staff.id, display_name=staff.display_name, auth_method="password_totp",
                     session_hash="", grants=grants, roles={g.role for g in grants})


@pytest.fixture()
def world(ctx):
    engine.clock.freeze(datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc))
    boss = directory.create_staff("SE2321000016-NF01", "Nora", "Förvaltare")
    national = directory.create_staff("SE2321000016-NF02", "Nils", "Förvaltning")
    directory.grant_role(national, "nationell_forvaltning", "platform", None, granted_by=boss.id)
    region = directory.create_care_provider("SE2321000099-0001", "Region Väst")
    other = directory.create_care_provider("SE2321000088-0001", "Region Öst")
    west_admin = directory.create_staff("SE2321000099-VGA1", "Vera", "Väst")
    east_admin = directory.create_staff("SE2321000088-VGA1", "Östen", "Öst")
    directory.grant_role(west_admin, "vardgivaradmin", "care_provider", region.id, granted_by=boss.id)
    directory.grant_role(east_admin, "vardgivaradmin", "care_provider", other.id, granted_by=boss.id)
    db.session.commit()
    form = {"kind": "privat_vardgivare", "organisation_name": "Terapi AB", "provider_hsa_id": "SE5566778899-0001",
            "region_provider_id": region.id,
            "units": [{"hsa_id": "SE5566778899-U001", "name": "Terapi AB Göteborg"}],
            "persons": {role: {"name": "Per Privat", "email": "per@terapi.se", "hsa_id": "SE5566778899-ADM1"}
                        for role in ("projektledare", "kommunikator", "vardgivaradmin", "behandlare")},
            "agreements": {"region_agreement": "2026-01-15", "personuppgiftsbitradesavtal_2": "2026-01-15"}}
    found = process.submit(principal(west_admin), form)
    process.review(principal(national), found.id, decision="approve")
    design = {"kind": "designverktyget", "organisation_name": "Terapi AB", "provider_hsa_id": "SE5566778899-0001",
              "publisher_units": [{"hsa_id": "SE5566778899-P001", "name": "Terapi AB Redaktion"}],
              "persons": {role: {"name": "Per Privat", "email": "per@terapi.se", "hsa_id": "SE5566778899-ADM1"}
                          for role in ("projektledare", "vardgivaradmin", "designer", "utgivare")},
              "agreements": {"kundavtal_2": "2026-01-15"}}
    found = process.submit(principal(national), design)  # its publisher unit, connected later
    process.review(principal(national), found.id, decision="approve")
    db.session.commit()
    provider = db.session.scalar(select(CareProvider).where(CareProvider.hsa_id == "SE5566778899-0001"))
    [unit] = db.session.scalars(select(Unit).where(Unit.care_provider_id == provider.id)).all()
    return {"national": principal(national), "west": principal(west_admin), "east": principal(east_admin),
            "provider": provider, "unit": unit}


def running_program(unit_id: str) -> str:
    publisher = directory.create_publisher_unit("SE2321000016-P001", "Redaktionen")
    version = stored(version="1.0")
    publish_approved(version, publisher.id, "utgivare-1")
    catalogue.activate("weekly_check", [unit_id], "vga-1")
    instance_id = engine.start(catalogue.version_for_new_start("weekly_check", unit_id), engine.SYSTEM,
                               unit_id=unit_id, subject_id="r1").instance_id
    db.session.commit()
    return instance_id


def events(kind: str) -> list[SecurityEvent]:
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.kind == kind)))


def test_only_the_connecting_regions_administrator_reports_and_sees_the_case(world):
    with pytest.raises(OnboardingForbidden):
        ending.report(world["east"], world["provider"].id, "Avtalet sades upp.", date(2026, 3, 1))
    with pytest.raises(OnboardingForbidden):  # national management confirms; the region reports
        ending.report(world["national"], world["provider"].id, "Avtalet sades upp.", date(2026, 3, 1))
    assert ending.reportable_providers(world["east"]) == []
    assert [p.id for p in ending.reportable_providers(world["west"])] == [world["provider"].id]
    with pytest.raises(OnboardingError) as no_reason:
        ending.report(world["west"], world["provider"].id, "  ", date(2026, 3, 1))
    assert no_reason.value.code == "reason_required"
    case = ending.report(world["west"], world["provider"].id, "Avtalet sades upp.", date(2026, 3, 1))
    db.session.commit()
    assert case.state == "reported" and events("agreement_ended_reported")[0].actor_id == world["west"].id
    assert ending.visible_to(world["east"]) == [] and not ending.may_see(world["east"], case)
    assert ending.visible_to(world["west"]) == [case] == ending.visible_to(world["national"])
    assert events("agreement_ended_refused")


def test_a_region_may_not_report_a_region(world):
    [region_id] = world["west"].scopes("vardgivaradmin", "care_provider")
    with pytest.raises(OnboardingForbidden):  # only a private provider's agreement ends here
        ending.report(world["west"], region_id, "Fel.", date(2026, 3, 1))


def test_national_managements_confirmation_is_required_and_it_can_reject(world):
    case = ending.report(world["west"], world["provider"].id, "Avtalet sades upp.", date(2026, 3, 1))
    with pytest.raises(OnboardingError) as early:
        ending.deactivate(world["west"], case.id)
    assert early.value.code == "not_confirmed"
    with pytest.raises(OnboardingForbidden):
        ending.confirm(world["west"], case.id)
    with pytest.raises(OnboardingError):
        ending.reject(world["national"], case.id, "")
    ending.reject(world["national"], case.id, "Avtalet gäller året ut.")
    db.session.commit()
    assert case.state == "rejected" and engine.instance(case.instance_id).status == "completed"
    assert world["unit"].active and world["provider"].active


def test_a_running_program_blocks_deactivation_until_ended_then_everything_closes(world):
    unit = world["unit"]
    instance_id = running_program(unit.id)
    case = ending.report(world["west"], world["provider"].id, "Avtalet sades upp.", date(2026, 3, 1))
    ending.confirm(world["national"], case.id)
    db.session.commit()
    [listed] = ending.running_programs(world["provider"].id)
    assert (listed.instance_id, listed.unit_id, listed.unit_name) == (instance_id, unit.id, "Terapi AB Göteborg")
    assert not hasattr(listed, "subject_id")  # the list names no resident
    with pytest.raises(OnboardingForbidden):
        ending.deactivate(world["east"], case.id)
    with pytest.raises(OnboardingError) as running:
        ending.deactivate(world["west"], case.id)
    assert running.value.code == "programs_running" and unit.active

    engine.end(instance_id, engine.SYSTEM, "other")
    db.session.commit()
    assert ending.running_programs(world["provider"].id) == []
    ending.deactivate(world["west"], case.id, "Programmet avslutades.")
    db.session.commit()

    assert case.state == "deactivated" and engine.instance(case.instance_id).status == "completed"
    assert not unit.active and not world["provider"].active
    [publisher_unit] = db.session.scalars(select(PublisherUnit).where(PublisherUnit.hsa_id == "SE5566778899-P001"))
    assert not publisher_unit.active
    editor = directory.create_staff("SE5566778899-UTG1", "Ulla", "Utgivare")
    grant = directory.grant_role(editor, "utgivare", "publisher_unit", publisher_unit.id, granted_by="nf")
    assert not _in_force(grant, None)  # a deactivated publisher unit's grants no longer count
    assert catalogue.active("weekly_check", unit.id) is None
    assert catalogue.version_for_new_start("weekly_check", unit.id) is None  # no new starts
    today = engine.clock.local_today()
    assignments = db.session.scalars(select(Assignment).where(Assignment.unit_id == unit.id)).all()
    assert assignments and not any(a.is_valid(today) for a in assignments)  # nobody signs in there
    assert [e.subject for e in events("unit_deactivated")] == [unit.id]
    assert [e.subject for e in events("publisher_unit_deactivated")] == [publisher_unit.id]
    assert events("program_deactivated") and events("agreement_ended_deactivated")


def test_a_program_handed_over_to_the_region_no_longer_blocks(world):
    instance_id = running_program(world["unit"].id)
    region_unit = directory.create_unit(db.session.get(CareProvider, world["provider"].id), "SE5566778899-U002",
                                        "Terapi AB Borås")
    other_region_unit = directory.create_unit(
        db.session.scalar(select(CareProvider).where(CareProvider.hsa_id == "SE2321000099-0001")),
        "SE2321000099-U001", "Psykiatri Väst")
    db.session.commit()
    case = ending.report(world["west"], world["provider"].id, "Avtalet sades upp.", date(2026, 3, 1))
    ending.confirm(world["national"], case.id)
    engine.hand_over(instance_id, engine.SYSTEM, region_unit.id)  # still the provider's: still blocks
    with pytest.raises(OnboardingError):
        ending.deactivate(world["west"], case.id)
    engine.hand_over(instance_id, engine.SYSTEM, other_region_unit.id)
    ending.deactivate(world["west"], case.id)
    db.session.commit()
    assert engine.instance(instance_id).status == "running" and other_region_unit.active
