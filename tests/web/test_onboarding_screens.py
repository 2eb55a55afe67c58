"""The onboarding screens through the Flask test client: the connection form refuses an HSA-id
clash beside its field and writes nothing, national management asks for completion, the applicant
completes, the approval creates the organisation; a region's administrator sees only their own."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from access import directory
from access.models import CareProvider, Unit
from access.secrets_hashing import hash_secret
from cli.demo_people import DEMO_PASSWORD, totp_secret_for
from engine.db import db
from onboarding.kinds import R17_ROLES
from onboarding.models import OnboardingApplication
from tests.web.signin import demo, post, sign_in_staff  # noqa: F401


def region_fields(unit_hsa: str = "SE2321000077-U001") -> dict:
    fields = {"kind": "stod_och_behandling", "organisation_name": "Region Nord",
              "provider_hsa_id": "SE2321000077-0001", "units.0.hsa_id": unit_hsa, "units.0.name": "Psykiatri Nord",
              "persons.vardgivaradmin.hsa_id": "SE2321000077-ADM1", "agreements.kundavtal_2": "2026-10-01"}
    for role in R17_ROLES:
        fields[f"persons.{role}.name"] = "Anna Andersson"
        fields[f"persons.{role}.email"] = f"{role}@nord.example.se"
    return fields


def case_id(response) -> str:
    return re.search(r"/anslutning/([0-9a-f]{32})", response.headers["Location"]).group(1)


def test_a_clash_is_refused_on_the_form_then_completion_and_approval_create_the_provider(demo):
    client = demo.staff("nationell")
    assert 'id="onboarding-kinds"' in client.get("/anslutning/ny").get_data(as_text=True)
    assert 'id="onboarding-form"' in client.get("/anslutning/ny?kind=stod_och_behandling").get_data(as_text=True)

    clash = post(client, "/anslutning/ny", region_fields(unit_hsa="SE2321000077-0001"),
                 token_from="/anslutning/ny?kind=stod_och_behandling")
    page = clash.get_data(as_text=True)
    assert clash.status_code == 400
    assert 'id="f-units-0-hsa_id"' in page and 'aria-invalid="true" aria-describedby="f-units-0-hsa_id-error"' in page
    assert 'href="#f-units-0-hsa_id"' in page  # the error summary links to the field
    assert db.session.scalar(select(OnboardingApplication.id)) is None

    sent = post(client, "/anslutning/ny", region_fields(), token_from="/anslutning/ny?kind=stod_och_behandling")
    assert sent.status_code == 302
    found = case_id(sent)
    assert db.session.scalar(select(CareProvider).where(CareProvider.hsa_id == "SE2321000077-0001")) is None

    no_comment = post(client, f"/anslutning/{found}/granska", {"decision": "complete"}, token_from=f"/anslutning/{found}")
    assert no_comment.status_code == 400
    asked = post(client, f"/anslutning/{found}/granska", {"decision": "complete", "review_comment": "Lägg till BUP."},
                 token_from=f"/anslutning/{found}")
    assert asked.status_code == 302
    page = client.get(f"/anslutning/{found}").get_data(as_text=True)
    assert 'data-state="completion_requested"' in page and 'id="complete-link"' in page

    completion_page = client.get(f"/anslutning/{found}/komplettera").get_data(as_text=True)
    assert 'value="Psykiatri Nord"' in completion_page and "Lägg till BUP." in completion_page
    completed = post(client, f"/anslutning/{found}/komplettera",
                     {**region_fields(), "units.1.hsa_id": "SE2321000077-U002", "units.1.name": "BUP Nord",
                      "completion_note": "BUP tillagd."})
    assert completed.status_code == 302

    approved = post(client, f"/anslutning/{found}/granska", {"decision": "approve"}, token_from=f"/anslutning/{found}")
    assert approved.status_code == 302
    provider = db.session.scalar(select(CareProvider).where(CareProvider.hsa_id == "SE2321000077-0001"))
    assert sorted(db.session.scalars(select(Unit.name).where(Unit.care_provider_id == provider.id))) == [
        "BUP Nord", "Psykiatri Nord"]
    assert directory.staff_by_hsa_id("SE2321000077-ADM1") is not None
    assert 'data-state="approved"' in client.get(f"/anslutning/{found}").get_data(as_text=True)


@pytest.fixture()
def second_region_admin(demo):
    region = directory.create_care_provider("SE2321000088-0001", "Region Öst", "region")
    unit = directory.create_unit(region, "SE2321000088-1001", "Mottagning Öst")
    boss = demo.org.staff["nationell"]
    admin = directory.create_staff("SE2321000088-V001", "Östen", "Öst", password_hash=hash_secret(DEMO_PASSWORD),
                                   totp_secret=totp_secret_for("SE2321000088-V001"))
    directory.grant_role(admin, "vardgivaradmin", "care_provider", region.id, granted_by=boss.id)
    directory.add_assignment(admin, unit, "administration")
    db.session.commit()
    return admin


def test_a_regions_administrator_never_sees_another_regions_onboarding(demo, second_region_admin):
    vera = demo.staff("vardgivaradmin")
    fields = {"kind": "designverktyget", "organisation_name": "Region Demoland",
              "provider_hsa_id": "SE2321000016-0001",  # Region Demoland, Vera's
              "publisher_units.0.hsa_id": "SE2321000016-P009", "publisher_units.0.name": "Demolands utgivare",
              "persons.vardgivaradmin.hsa_id": "SE2321000016-V001", "agreements.kundavtal_2": "2026-10-01"}
    for role in ("projektledare", "vardgivaradmin", "designer", "utgivare"):
        fields[f"persons.{role}.name"], fields[f"persons.{role}.email"] = "Vera Vårdgivaradmin", f"{role}@demo.se"
    sent = post(vera, "/anslutning/ny", fields, token_from="/anslutning/ny?kind=designverktyget")
    assert sent.status_code == 302, sent.get_data(as_text=True)
    found = case_id(sent)
    assert f'data-id="{found}"' in vera.get("/anslutning").get_data(as_text=True)
    refused = post(vera, f"/anslutning/{found}/granska", {"decision": "approve"},
                   token_from="/anslutning/ny?kind=designverktyget")
    assert refused.status_code == 403  # only national management reviews
    assert db.session.get(OnboardingApplication, found).state == "submitted"

    east = sign_in_staff(demo.app.test_client(), "SE2321000088-V001")
    assert f'data-id="{found}"' not in east.get("/anslutning").get_data(as_text=True)
    assert east.get(f"/anslutning/{found}").status_code == 404
    assert east.get(f"/anslutning/{found}/komplettera").status_code == 404

    assert f'data-id="{found}"' in demo.staff("nationell").get("/anslutning").get_data(as_text=True)


def test_only_national_management_and_care_provider_administrators_open_onboarding(demo):
    assert demo.staff("behandlare").get("/anslutning").status_code == 403
    assert demo.staff("designer").get("/anslutning/ny").status_code == 403


def test_the_dashboard_shows_each_case_at_its_step_overdue_first_filters_and_exports(demo):
    from datetime import timedelta

    import engine
    from access.principal import Principal, active_grants
    from onboarding import process

    national = demo.org.staff["nationell"]
    grants = active_grants(national.id)
    nina = Principal(kind="staff", id=national.id, display_name="Nina", auth_method="password_totp",
                     session_hash="", grants=grants, roles={g.role for g in grants})
    form = {key: value for key, value in region_fields().items() if "." not in key}
    form.update(units=[{"hsa_id": "SE2321000077-U001", "name": "Psykiatri Nord"}],
                persons={role: {"name": "Anna Andersson", "email": f"{role}@nord.example.se"} for role in R17_ROLES},
                agreements={"kundavtal_2": "2026-10-01"})
    form["persons"]["vardgivaradmin"]["hsa_id"] = "SE2321000077-ADM1"
    older = process.submit(nina, form)
    db.session.commit()
    engine.clock.advance(timedelta(days=2))
    newer = process.submit(nina, {**form, "organisation_name": "Region Nord 2", "provider_hsa_id": "SE2321000066-0001",
                                  "units": [{"hsa_id": "SE2321000066-U001", "name": "Nord 2"}],
                                  "persons": {**form["persons"], "vardgivaradmin": {
                                      "name": "Bo Berg", "email": "bo@nord2.example.se", "hsa_id": "SE2321000066-ADM1"}}})
    process.review(nina, newer.id, decision="complete", comment="Komplettera.")
    db.session.commit()

    client = demo.staff("nationell")
    page = client.get("/anslutning").get_data(as_text=True)
    assert 'data-step="review_application"' in page and 'data-step="complete_application"' in page
    assert "data-overdue" not in page

    engine.clock.advance(timedelta(days=6))  # the older case has now waited more than five working days
    client = demo.staff("nationell")
    page = client.get("/anslutning").get_data(as_text=True)
    rows = re.findall(r'<tr role="row" data-id="([0-9a-f]{32})"( class="overdue" data-overdue="1")?', page)
    assert rows[0] == (older.id, ' class="overdue" data-overdue="1"')  # overdue first
    assert [r[0] for r in rows] == [older.id, newer.id]
    steps = re.search(r'<table[^>]*id="onboarding-steps".*?</table>', page, re.S).group(0)
    assert re.search(r'data-step="review_application">.*?data-label="[^"]*">1</td>', steps, re.S)

    only_completion = client.get("/anslutning?state=completion_requested").get_data(as_text=True)
    assert f'data-id="{newer.id}"' in only_completion and f'data-id="{older.id}"' not in only_completion

    exported = client.get("/anslutning.csv?state=completion_requested")
    assert exported.mimetype == "text/csv"
    lines = exported.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 2 and lines[1].startswith(newer.id) and "Nina Nationell" in lines[1]  # the applicant must act

    case_page = client.get(f"/anslutning/{older.id}").get_data(as_text=True)
    assert 'class="bpmn-progress"' in case_page and '"current": ["review_application"]' in case_page
