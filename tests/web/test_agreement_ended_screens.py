"""Agreement ended (R33) through the Flask test client: the region's administrator reports,
another region sees nothing, national management confirms, the region deactivates."""
from __future__ import annotations

import re

from sqlalchemy import select

from access.models import CareProvider, Unit
from access.principal import Principal, active_grants
from engine.db import db
from onboarding import process
from onboarding.models import AgreementEnding
from tests.web.signin import demo, post, sign_in_staff  # noqa: F401
from tests.web.test_onboarding_screens import second_region_admin  # noqa: F401


def principal(staff) -> Principal:
    grants = active_grants(staff.id)
    return Principal(kind="staff", id=staff.id, display_name=staff.display_name, auth_method="password_totp",
                     session_hash="", grants=grants, roles={g.role for g in grants})


def connected_private_provider(demo) -> CareProvider:
    vera, boss = demo.org.staff["vardgivaradmin"], demo.org.staff["nationell"]
    [region_id] = principal(vera).scopes("vardgivaradmin", "care_provider")
    form = {"kind": "privat_vardgivare", "organisation_name": "Terapi AB", "provider_hsa_id": "SE5566778899-0001",
            "region_provider_id": region_id,
            "units": [{"hsa_id": "SE5566778899-U001", "name": "Terapi AB Göteborg"}],
            "persons": {role: {"name": "Per Privat", "email": "per@terapi.se", "hsa_id": "SE5566778899-ADM1"}
                        for role in ("projektledare", "kommunikator", "vardgivaradmin", "behandlare")},
            "agreements": {"region_agreement": "2026-01-15", "personuppgiftsbitradesavtal_2": "2026-01-15"}}
    found = process.submit(principal(vera), form)
    process.review(principal(boss), found.id, decision="approve")
    db.session.commit()
    return db.session.scalar(select(CareProvider).where(CareProvider.hsa_id == "SE5566778899-0001"))


def test_report_confirm_and_deactivate_through_the_screens(demo, second_region_admin):  # noqa: F811
    provider = connected_private_provider(demo)
    vera = demo.staff("vardgivaradmin")
    page = vera.get("/anslutning/avtal-upphort").get_data(as_text=True)
    assert 'id="agreement-report"' in page and provider.id in page
    missing = post(vera, "/anslutning/avtal-upphort", {"provider_id": provider.id, "ended_on": "", "reason": "x"},
                   token_from="/anslutning/avtal-upphort")
    assert missing.status_code == 400 and 'id="error-summary"' in missing.get_data(as_text=True)
    sent = post(vera, "/anslutning/avtal-upphort",
                {"provider_id": provider.id, "ended_on": "2026-03-01", "reason": "Avtalet sades upp."},
                token_from="/anslutning/avtal-upphort")
    assert sent.status_code == 302
    case_id = re.search(r"/avtal-upphort/([0-9a-f]{32})", sent.headers["Location"]).group(1)

    east = sign_in_staff(demo.app.test_client(), "SE2321000088-V001")
    assert east.get(f"/anslutning/avtal-upphort/{case_id}").status_code == 404
    assert case_id not in east.get("/anslutning/avtal-upphort").get_data(as_text=True)
    assert 'id="agreement-deactivate"' not in vera.get(f"/anslutning/avtal-upphort/{case_id}").get_data(as_text=True)
    assert post(vera, f"/anslutning/avtal-upphort/{case_id}/beslut", {"decision": "confirm"},
                token_from=f"/anslutning/avtal-upphort/{case_id}").status_code == 403

    national = demo.staff("nationell")
    assert 'id="agreement-decision"' in national.get(f"/anslutning/avtal-upphort/{case_id}").get_data(as_text=True)
    assert post(national, f"/anslutning/avtal-upphort/{case_id}/beslut", {"decision": "confirm"},
                token_from=f"/anslutning/avtal-upphort/{case_id}").status_code == 302

    page = vera.get(f"/anslutning/avtal-upphort/{case_id}").get_data(as_text=True)
    assert 'id="no-running-programs"' in page and 'id="agreement-deactivate"' in page
    done = post(vera, f"/anslutning/avtal-upphort/{case_id}/inaktivera", {"note": "Inga program."},
                token_from=f"/anslutning/avtal-upphort/{case_id}")
    assert done.status_code == 302
    assert db.session.get(AgreementEnding, case_id).state == "deactivated"
    assert not any(u.active for u in db.session.scalars(select(Unit).where(Unit.care_provider_id == provider.id)))


def test_the_case_lists_a_running_program_with_links_and_refuses_deactivation(demo):
    from datetime import date

    import engine
    from onboarding import agreement_ended as ending
    from tests.catalogue.programs import stored

    provider = connected_private_provider(demo)
    unit = db.session.scalar(select(Unit).where(Unit.care_provider_id == provider.id))
    running = engine.start(stored(version="1.0"), engine.SYSTEM, unit_id=unit.id, subject_id="r1").instance_id
    case = ending.report(principal(demo.org.staff["vardgivaradmin"]), provider.id, "Uppsagt.", date(2026, 3, 1))
    ending.confirm(principal(demo.org.staff["nationell"]), case.id)
    db.session.commit()
    vera = demo.staff("vardgivaradmin")
    page = vera.get(f"/anslutning/avtal-upphort/{case.id}").get_data(as_text=True)
    assert 'id="running-programs"' in page and f"/program/{running}/overlamna" in page
    refused = post(vera, f"/anslutning/avtal-upphort/{case.id}/inaktivera", {},
                   token_from=f"/anslutning/avtal-upphort/{case.id}")
    assert refused.status_code == 409 and 'id="error-summary"' in refused.get_data(as_text=True)
    assert unit.active
