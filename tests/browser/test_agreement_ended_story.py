"""Agreement ended (R33) in the browser: the region's administrator reports that a private
provider's agreement has ended, national management confirms, the administrator deactivates the
provider's units. axe passes on each page at 1280 and 320 px."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from access import directory
from access.models import CareProvider, Unit
from access.principal import Principal, active_grants
from cli import demo_people
from engine import clock
from engine.db import db
from onboarding import process
from tests.browser.signin import sign_in_staff
from tests.browser.test_onboarding_story import NATIONAL, REGION_ADMIN, look

pytestmark = pytest.mark.browser


def principal(staff) -> Principal:
    grants = active_grants(staff.id)
    return Principal(kind="staff", id=staff.id, display_name=staff.display_name, auth_method="password_totp",
                     session_hash="", grants=grants, roles={g.role for g in grants})


@pytest.fixture()
def connected(ctx):
    clock.reset()
    demo_people.seed()
    db.session.commit()
    vera, nina = directory.staff_by_hsa_id(REGION_ADMIN), directory.staff_by_hsa_id(NATIONAL)
    [region_id] = principal(vera).scopes("vardgivaradmin", "care_provider")
    form = {"kind": "privat_vardgivare", "organisation_name": "Terapi AB", "provider_hsa_id": "SE5566778899-0001",
            "region_provider_id": region_id,
            "units": [{"hsa_id": "SE5566778899-U001", "name": "Terapi AB Göteborg"}],
            "persons": {role: {"name": "Per Privat", "email": "per@terapi.se", "hsa_id": "SE5566778899-ADM1"}
                        for role in ("projektledare", "kommunikator", "vardgivaradmin", "behandlare")},
            "agreements": {"region_agreement": "2026-01-15", "personuppgiftsbitradesavtal_2": "2026-01-15"}}
    found = process.submit(principal(vera), form)
    process.review(principal(nina), found.id, decision="approve")
    db.session.commit()
    return db.session.scalar(select(CareProvider).where(CareProvider.hsa_id == "SE5566778899-0001"))


def test_a_region_reports_national_management_confirms_and_the_units_close(open_page, connected):
    vera = open_page("/logga-in/medarbetare")
    sign_in_staff(vera, REGION_ADMIN)
    vera.goto("/anslutning")
    vera.click("#agreement-ended-link")
    look(vera, "agreement-report")
    vera.select_option("#provider_id", connected.id)
    vera.fill("#ended_on", "2026-03-01")
    vera.fill("#reason", "Avtalet sades upp.")
    vera.click("#agreement-report button[type=submit]")
    vera.wait_for_url("**/avtal-upphort/*")
    case_url = vera.url
    assert vera.get_attribute("#agreement-state", "data-state") == "reported"
    look(vera, "agreement-case")

    nina = open_page("/logga-in/medarbetare")
    sign_in_staff(nina, NATIONAL)
    nina.goto(case_url)
    look(nina, "agreement-decision")
    nina.check("#decision-confirm")
    nina.click("#agreement-decision button[type=submit]")
    assert nina.get_attribute("#agreement-state", "data-state") == "confirmed"

    vera.goto(case_url)
    assert vera.locator("#no-running-programs").count() == 1
    look(vera, "agreement-deactivate")
    vera.click("#agreement-deactivate button[type=submit]")
    assert vera.get_attribute("#agreement-state", "data-state") == "deactivated"
    db.session.expire_all()
    assert not any(u.active for u in db.session.scalars(select(Unit).where(Unit.care_provider_id == connected.id)))
