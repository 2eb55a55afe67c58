"""Doing the work through the real pages: a resident answers their step with a form, the
clinician sees the resulting task in the task list and completes it; PDL rows for each look;
a second completion is a clear conflict; other units and residents see nothing."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.support.publishing import publish_approved
import engine
from access import directory
from access.records import PdlEntry
from engine.db import db
from tests.conftest import FIXTURES, ROOT
from tests.web.signin import post, sign_in_resident, sign_in_staff
from cli import demo_people


@pytest.fixture()
def clinic(ctx, publish):
    engine.clock.freeze(engine.clock.now())
    org = demo_people.seed()
    db.session.commit()
    version = publish(FIXTURES / "simple")
    outcome = engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id,
                           subject_id=org.residents["anna"].id, owner_id=org.staff["behandlare"].id)
    db.session.commit()
    return org, outcome.instance_id


def task_link(html, prefix):
    match = re.search(rf'href="({prefix}/[0-9a-f-]+)"', html)
    assert match, html
    return match.group(1)


def test_resident_answers_and_clinician_reviews(ctx, clinic):
    org, instance_id = clinic
    resident = sign_in_resident(ctx.test_client(), org.residents["anna"].id)
    listing = resident.get("/mina-uppgifter").get_data(as_text=True)
    path = task_link(listing, "/mina-uppgifter")
    page = resident.get(path).get_data(as_text=True)
    assert "Fråga 1" in page and "Answer honestly." in page
    bad = post(resident, path, {"q1": "9", "q2": "1"})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.get_data(as_text=True)
    assert post(resident, path, {"q1": "3", "q2": "3"}).status_code == 302

    clinician = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    tasks = clinician.get("/uppgifter").get_data(as_text=True)
    assert "Review the answers" in tasks and "Anna Andersson" in tasks
    review = task_link(tasks, "/uppgifter")
    assert post(clinician, review, {}).status_code == 302
    assert engine.instance(instance_id).status == "completed"
    again = post(clinician, review, {}, token_from="/uppgifter")
    assert again.status_code == 409

    rows = db.session.scalars(select(PdlEntry).where(PdlEntry.resident_id == org.residents["anna"].id)).all()
    kinds = {(r.actor_type, r.action, r.resource_type, r.outcome) for r in rows}
    assert ("resident", "update", "human_task", "allowed") in kinds
    assert ("staff", "list", "human_task", "allowed") in kinds
    assert ("staff", "update", "human_task", "allowed") in kinds


def test_other_units_and_other_residents_see_nothing(ctx, clinic):
    org, _ = clinic
    task_id = engine.ready_tasks(clinic[1])[0].id
    other = sign_in_staff(ctx.test_client(), org.staff["syd"].hsa_id)
    assert "Answer" not in other.get("/uppgifter").get_data(as_text=True)
    assert other.get(f"/uppgifter/{task_id}").status_code == 403
    stranger = sign_in_resident(ctx.test_client(), org.residents["bo"].id)
    assert stranger.get(f"/mina-uppgifter/{task_id}").status_code == 404
    assert post(stranger, f"/mina-uppgifter/{task_id}", {"q1": "0", "q2": "0"},
                token_from="/mina-uppgifter").status_code == 404
    assert engine.ready_tasks(clinic[1])[0].id == task_id  # nothing was completed


def offer_depression_program(org, publish):
    """Published in the catalogue and activated on Nord (R25), as the demo does."""
    import catalogue
    version = publish(ROOT / "workflows" / "programs" / "depression_icbt")
    publish_approved(version, org.publishers["national"].id, org.staff["utgivare"].id)
    catalogue.activate("depression_icbt", [org.units["nord"].id], org.staff["vardgivaradmin"].id)
    db.session.commit()
    return version


def test_only_programs_activated_on_the_unit_are_offered(ctx, clinic, publish):
    org, _ = clinic
    publish(ROOT / "workflows" / "programs" / "depression_icbt")  # stored, but not in the catalogue
    clinician = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    assert "<option" not in clinician.get("/starta-program").get_data(as_text=True)


def test_a_clinician_starts_a_program_for_a_new_resident_with_protected_identity(ctx, clinic, publish):
    org, _ = clinic
    offer_depression_program(org, publish)
    clinician = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    page = clinician.get("/starta-program").get_data(as_text=True)
    version = re.search(r'<option value="([0-9a-f]{64})"', page).group(1)
    pnr = demo_people.personnummer_for(__import__("datetime").date(1970, 4, 4), "321")
    missing_name = post(clinician, "/starta-program", {"personnummer": pnr, "program": version})
    assert missing_name.status_code == 400
    started = post(clinician, "/starta-program", {"personnummer": pnr, "program": version, "given_name": "Greta",
                                                  "family_name": "Gran", "protected_identity": "on"})
    assert started.status_code == 302
    resident_page = clinician.get(started.headers["Location"]).get_data(as_text=True)
    assert "Greta Gran" in resident_page
    listing = clinician.get("/invanare").get_data(as_text=True)
    assert "Greta" not in listing  # protected identities are masked in lists
    row = db.session.scalars(select(PdlEntry).where(PdlEntry.action == "create",
                                                    PdlEntry.resource_type == "process_instance")).one()
    assert row.access_basis == "new_care_relation" and row.unit_id == org.units["nord"].id


def test_a_resident_name_over_its_limit_is_named_and_the_form_kept(ctx, clinic, publish):
    # Given a clinician registering a new resident with a 101-character first name (a 500 on
    # PostgreSQL before), then the form comes back naming the field and its limit, with what was
    # typed, and nobody is created.
    org, _ = clinic
    offer_depression_program(org, publish)
    clinician = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    version = re.search(r'<option value="([0-9a-f]{64})"', clinician.get("/starta-program").get_data(as_text=True)).group(1)
    pnr = demo_people.personnummer_for(__import__("datetime").date(1970, 4, 4), "321")
    long_name = "Å" * 101
    response = post(clinician, "/starta-program", {"personnummer": pnr, "program": version, "given_name": long_name,
                                                   "family_name": "Gran"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Förnamn får innehålla högst 100 tecken" in page and long_name in page
    assert directory.resident_by_personnummer(pnr) is None


def test_only_clinicians_start_programs(ctx, clinic):
    org, _ = clinic
    admin = sign_in_staff(ctx.test_client(), org.staff["invanaradmin"].hsa_id)
    assert admin.get("/starta-program").status_code == 403


def test_a_new_step_is_announced_without_health_data_or_names(ctx, clinic, publish):
    from notify.models import OutboxMessage
    org, _ = clinic
    resident = org.residents["bo"]
    resident.email, resident.phone = "bo@example.se", "0701234567"
    db.session.commit()
    offer_depression_program(org, publish)
    clinician = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    page = clinician.get("/starta-program").get_data(as_text=True)
    version = re.search(r'<option value="([0-9a-f]{64})"', page).group(1)
    post(clinician, "/starta-program", {"personnummer": resident.personnummer, "program": version})
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert {m.channel for m in messages} == {"email", "sms"}
    for message in messages:
        text = f"{message.subject} {message.body}"
        assert "Vårdflöde" in text
        assert all(word not in text for word in ("Bo", "Berg", "Depression", "PHQ"))


def test_a_colleague_on_the_unit_can_be_made_responsible_and_nobody_else(ctx, clinic, publish):
    from access import directory
    org, _ = clinic
    version = offer_depression_program(org, publish)
    colleague = directory.create_staff("SE2321000016-B009", "Kim", "Kollega", email="kim@example.se")
    directory.add_assignment(colleague, org.units["nord"])
    directory.grant_role(colleague, "behandlare", "unit", org.units["nord"].id, granted_by="test")
    db.session.commit()
    clinician = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    page = clinician.get("/starta-program").get_data(as_text=True)
    assert "Kim Kollega" in page and org.staff["syd"].display_name not in page  # Syd is another unit
    bo = org.residents["bo"]
    refused = post(clinician, "/starta-program", {"personnummer": bo.personnummer, "program": version,
                                                  "responsible": org.staff["syd"].id})
    assert refused.status_code == 400 and not instances_of(bo)
    started = post(clinician, "/starta-program", {"personnummer": bo.personnummer, "program": version,
                                                  "responsible": colleague.id})
    assert started.status_code == 302
    (instance,) = instances_of(bo)
    assert instance.owner_id == colleague.id


def instances_of(resident):
    from engine.models import ProcessInstance
    return db.session.scalars(select(ProcessInstance).where(ProcessInstance.subject_id == resident.id)).all()


def _catalogue(lang: str, msgid: str) -> str:
    """What the catalogue says for ``msgid`` in ``lang`` (the msgid itself until it is translated)."""
    from babel.support import Translations
    from web.shell.i18n import TRANSLATIONS
    return Translations.load(str(TRANSLATIONS), [lang]).gettext(msgid)


@pytest.mark.parametrize("number, code", [
    ("19700404-321", "too_short"), ("1970040432100", "too_long"), ("19700230-3214", "not_a_date"),
    ("19700491-3214", "coordination_not_a_date"), ("19700404-abcd", "format")])
def test_a_bad_personnummer_is_refused_saying_what_is_wrong(ctx, clinic, publish, number, code):
    from access import personnummer
    from web.shell.refusals import PERSONNUMMER
    org, _ = clinic
    version = offer_depression_program(org, publish)
    clinician = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    with pytest.raises(personnummer.InvalidPersonnummer) as raised:
        personnummer.normalize(number)
    assert raised.value.code == code
    response = post(clinician, "/starta-program", {"personnummer": number, "program": version,
                                                   "given_name": "Greta", "family_name": "Gran"})
    assert response.status_code == 400
    assert _catalogue("sv", PERSONNUMMER[code]._args[0]) in response.text


def test_a_wrong_check_digit_is_explained_in_the_pages_language(ctx, clinic, publish):
    # Before: "personnummer: the check digit does not match", in English on the Swedish page.
    org, _ = clinic
    version = offer_depression_program(org, publish)
    pnr = demo_people.personnummer_for(__import__("datetime").date(1970, 4, 4), "321")
    wrong = pnr[:-1] + str((int(pnr[-1]) + 1) % 10)
    msgid = "The last digit does not match the others; check that you typed every digit."
    clinician = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    swedish = post(clinician, "/starta-program", {"personnummer": wrong, "program": version})
    assert swedish.status_code == 400
    assert "check digit" not in swedish.text and "not registered" not in swedish.text
    assert _catalogue("sv", msgid) in swedish.text
    post(clinician, "/sprak", {"lang": "en", "next": "/starta-program"}, token_from="/starta-program")
    english = post(clinician, "/starta-program", {"personnummer": wrong, "program": version})
    assert english.status_code == 400 and msgid in english.text
    assert directory.resident_by_personnummer(wrong) is None


def test_program_content_on_an_english_page_is_marked_as_swedish(ctx, clinic):
    # Programs are written in Swedish: on an English page their names, instructions and the form
    # labels without English are marked lang="sv", so a screen reader reads them as Swedish.
    org, _ = clinic
    resident = sign_in_resident(ctx.test_client(), org.residents["anna"].id)
    path = task_link(resident.get("/mina-uppgifter").get_data(as_text=True), "/mina-uppgifter")
    swedish = resident.get(path).get_data(as_text=True)
    assert '<html lang="sv">' in swedish and "<h1>" in swedish and '<div class="instructions">' in swedish
    post(resident, "/sprak", {"lang": "en", "next": path}, token_from=path)
    english = resident.get(path).get_data(as_text=True)
    assert '<html lang="en">' in english
    assert '<h1 lang="sv">' in english and '<div class="instructions" lang="sv">' in english
    assert re.search(r'<label for="f-q1"><span lang="sv">Fråga 1', english)
    listing = resident.get("/mina-uppgifter").get_data(as_text=True)
    assert re.search(r'href="/mina-uppgifter/[0-9a-f-]+" lang="sv">', listing)
