"""Cases outside care for the demo's administrators to find: a region's application to connect a
private care provider, sent eight days ago and not yet reviewed (overdue on the onboarding
dashboard, its reminder sent), and a clinician's (Sven on Syd) incident report waiting for triage. Both go
through the same domain calls as the screens, so their processes run for real."""
from __future__ import annotations

from datetime import timedelta

import engine
from sqlalchemy import select

from access.principal import Principal, active_grants
from access.models import Assignment, Staff
from engine.db import db
from incidents import reports
from incidents.config import from_settings
from onboarding import process

STRONG = "password_totp"


def seed(org, settings) -> None:
    _onboarding(org)
    _incident(org, settings)


def _principal(staff: Staff) -> Principal:
    """``staff`` signed in on their first assignment, as the sign-in page would have them."""
    assignment = db.session.scalar(select(Assignment).where(Assignment.staff_id == staff.id).limit(1))
    grants = active_grants(staff.id)
    return Principal(kind="staff", id=staff.id, display_name=staff.display_name, auth_method=STRONG,
                     session_hash="", assignment=assignment, grants=grants, roles={g.role for g in grants})


def _onboarding(org) -> None:
    roles = ("projektledare", "kommunikator", "vardgivaradmin", "behandlare")
    form = {"kind": "privat_vardgivare", "organisation_name": "Lugna Sinnen AB", "provider_hsa_id": "SE5566112233-0001",
            "region_provider_id": org.providers["region"].id,
            "units": [{"hsa_id": "SE5566112233-U001", "name": "Lugna Sinnen Sundsvall"}],
            "persons": {role: {"name": "Linnea Lugn", "email": "linnea@lugnasinnen.example.se",
                               "phone": "010-123 45 67", "hsa_id": "SE5566112233-ADM1"} for role in roles},
            "agreements": {"region_agreement": "2026-11-02", "personuppgiftsbitradesavtal_2": "2026-11-02"}}
    _at(timedelta(days=8), lambda: process.submit(_principal(org.staff["vardgivaradmin"]), form))


def _incident(org, settings) -> None:
    draft = reports.Draft(product="stod_och_behandling", page_url="/uppgifter", platform_version="demo",
                          observed_at=engine.clock.now() - timedelta(hours=3),
                          what_happened="Uppgiftslistan visade en invånares riskflagga först efter att sidan "
                                        "laddats om. Ingen patient kom till skada.",
                          consequence="could_have_led_to")
    _at(timedelta(hours=2), lambda: reports.report(_principal(org.staff["syd"]),
                                                   draft, [], from_settings(settings)))


def _at(ago: timedelta, action) -> None:
    """Do ``action`` as if ``ago`` earlier; the demo's catch-up then fires what fell due since."""
    engine.clock.reset()
    engine.clock.freeze(engine.clock.now() - ago)
    try:
        action()
        db.session.commit()
    finally:
        engine.clock.reset()
