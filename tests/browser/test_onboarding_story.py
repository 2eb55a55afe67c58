"""Onboarding in the browser: Region Demoland's care provider administrator connects a private
care provider; the form refuses a unit with the provider's HSA-id beside the field; national
management asks for completion, the administrator completes, the case is overdue on the dashboard
once the clock has moved five working days, national management approves; the provider, its unit
and its first administrator exist, that administrator activates their account with the link
from the outbox, signs in and creates a unit. axe passes
on every page on the way, at 1280 and at 320 px."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from access import directory, totp
from access.models import CareProvider, Unit
from cli import demo_people
from engine import clock
from engine.db import db
from notify.models import OutboxMessage
from tests.browser.axe import assert_accessible, look
from tests.browser.signin import sign_in_staff

NATIONAL = next(row[1] for row in demo_people.STAFF if row[0] == "nationell")
REGION_ADMIN = next(row[1] for row in demo_people.STAFF if row[0] == "vardgivaradmin")
PROVIDER_HSA, UNIT_HSA, ADMIN_HSA = "SE5566112233-0001", "SE5566112233-1001", "SE5566112233-V001"
ADMIN_PASSWORD = "terapi väst börjar i maj"
pytestmark = pytest.mark.browser


@pytest.fixture()
def demo_org(ctx):
    clock.reset()
    demo_people.seed()
    db.session.commit()




def fill_private_provider(page, unit_hsa: str) -> None:
    page.fill("#f-organisation_name", "Terapi Väst AB")
    page.fill("#f-provider_hsa_id", PROVIDER_HSA)
    page.select_option("#f-region_provider_id", label="Region Demoland")
    page.fill("#f-units-0-hsa_id", unit_hsa)
    page.fill("#f-units-0-name", "Terapi Väst mottagning")
    for role in ("projektledare", "kommunikator", "vardgivaradmin", "behandlare"):
        page.fill(f"#f-persons-{role}-name", "Tove Terapeut")
        page.fill(f"#f-persons-{role}-email", f"{role}@terapivast.example.se")
    page.fill("#f-persons-vardgivaradmin-hsa_id", ADMIN_HSA)
    page.fill("#f-agreements-region_agreement", "2026-01-15")
    page.fill("#f-agreements-personuppgiftsbitradesavtal_2", "2026-01-15")


def state(page) -> str:
    return page.get_attribute("#onboarding-state", "data-state")


def test_a_region_connects_a_private_provider_through_completion_to_a_working_administrator(open_page, demo_org):
    vera = open_page("/logga-in/medarbetare")
    sign_in_staff(vera, REGION_ADMIN)
    vera.goto("/anslutning/ny")
    look(vera, "onboarding-kinds")
    vera.click("a[href$='kind=privat_vardgivare']")
    fill_private_provider(vera, unit_hsa=PROVIDER_HSA)  # the unit's HSA-id is the provider's: R38
    vera.click("#onboarding-form button[type=submit]")
    assert vera.get_attribute("#f-units-0-hsa_id", "aria-invalid") == "true"
    assert vera.locator("#error-summary a[href='#f-units-0-hsa_id']").count() == 1
    look(vera, "onboarding-clash")
    assert db.session.scalar(select(CareProvider.id).where(CareProvider.hsa_id == PROVIDER_HSA)) is None

    vera.fill("#f-units-0-hsa_id", UNIT_HSA)
    vera.click("#onboarding-form button[type=submit]")
    vera.wait_for_url("**/anslutning/*")
    case_url = vera.url.split("?")[0]
    assert state(vera) == "submitted"

    nina = open_page("/logga-in/medarbetare")
    sign_in_staff(nina, NATIONAL)
    nina.goto("/anslutning")
    assert nina.locator("#onboarding-cases td[data-step='review_application']").count() == 1
    look(nina, "onboarding-dashboard-review")
    nina.goto(case_url)
    assert nina.locator(".progress-diagram").count() >= 1
    nina.check("#decision-complete")
    nina.fill("#review-comment-text", "Ange telefonnummer till projektledaren.")
    nina.click("#review-form button[type=submit]")
    nina.wait_for_load_state()
    assert state(nina) == "completion_requested"
    look(nina, "onboarding-case-completion")

    vera.goto("/anslutning")
    assert vera.locator("#onboarding-cases td[data-step='complete_application']").count() == 1
    vera.goto(case_url)
    vera.click("#complete-link")
    assert "Ange telefonnummer" in vera.locator("#review-comment").text_content()
    vera.fill("#f-persons-projektledare-phone", "010-123 45 67")
    vera.fill("#f-completion_note", "Telefonnummer tillagt.")
    look(vera, "onboarding-completion")
    vera.click("#onboarding-form button[type=submit]")
    vera.wait_for_url("**/anslutning/*")
    assert state(vera) == "submitted"
    assert db.session.scalar(select(CareProvider.id).where(CareProvider.hsa_id == PROVIDER_HSA)) is None

    clock.advance(timedelta(days=8))  # more than five working days waiting for the review
    nina = open_page("/logga-in/medarbetare")  # the earlier session has timed out meanwhile
    sign_in_staff(nina, NATIONAL)
    nina.goto("/anslutning")
    overdue = nina.locator("#onboarding-cases tr[data-overdue='1']")
    assert overdue.count() == 1 and overdue.locator("td[data-step='review_application']").count() == 1
    look(nina, "onboarding-dashboard-overdue")

    nina.goto(case_url)
    nina.check("#decision-approve")
    nina.click("#review-form button[type=submit]")
    nina.wait_for_load_state()
    assert state(nina) == "approved"
    provider = db.session.scalar(select(CareProvider).where(CareProvider.hsa_id == PROVIDER_HSA))
    assert provider is not None and provider.kind == "private"
    assert db.session.scalar(select(Unit.name).where(Unit.hsa_id == UNIT_HSA)) == "Terapi Väst mottagning"

    # The approval sent the new administrator an activation link; they choose a password and
    # connect an authenticator app with it, then sign in with both.
    admin = directory.staff_by_hsa_id(ADMIN_HSA)
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "staff_enrolment",
                                                             OutboxMessage.recipient_id == admin.id))
    link = re.search(r"https?://\S+/aktivera/[A-Za-z0-9_-]+", body).group(0)
    tove = open_page(link[link.index("/aktivera/"):])
    look(tove, "enrolment")
    secret = tove.locator("#totp-key").text_content().replace(" ", "")
    tove.fill("#password", ADMIN_PASSWORD)
    tove.fill("#password_again", ADMIN_PASSWORD)
    tove.fill("#code", totp.current_code(secret))
    tove.click("#enrol-form button[type=submit]")
    tove.wait_for_url("**/logga-in/medarbetare?*")
    assert tove.locator("#enrolled").count() == 1
    clock.advance(timedelta(seconds=31))  # the confirming code's time step is used up
    tove.fill("#identifier", ADMIN_HSA)
    tove.fill("#password", ADMIN_PASSWORD)
    tove.click("main button[type=submit]")
    tove.wait_for_url("**/logga-in/medarbetare/kod")
    tove.fill("#code", totp.current_code(secret))
    tove.click("main button[type=submit]")
    tove.wait_for_load_state()
    if tove.url.endswith("/logga-in/medarbetare/uppdrag"):
        tove.click("main button[type=submit]")
        tove.wait_for_load_state()
    assert "/logga-in/" not in tove.url, tove.url
    tove.goto("/admin/vardenheter")
    assert "Terapi Väst mottagning" in tove.locator("main").text_content()
    tove.fill("#unit-hsa", "SE5566112233-1002")
    tove.fill("#unit-name", "Terapi Väst Borås")
    tove.click("form:has(#unit-hsa) button[type=submit]")
    tove.wait_for_load_state()
    assert db.session.scalar(select(Unit.care_provider_id).where(Unit.hsa_id == "SE5566112233-1002")) == provider.id
