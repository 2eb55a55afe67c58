"""Publishing, in real browsers, from the designer's change to the residents' programs (issue 12's
story): Dora imports the published Sömnskola's folder, renames one step and submits 1.2; Ulf finds it under
Granskning with the step marked on both diagrams, the text changes and the coverage, and sends it
back; Dora fixes it and submits again; Ulla, a second publisher, approves; the catalogue shows 1.2
with its release notes; the care provider administrator moves Nord's two running Sömnskola
programs, one of which is refused with its reason; and both residents' pages are right after.
axe passes on the review page and the move pages; the page fixture fails on any CSP report."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import update

import engine
from access import directory
from access.models import Assignment
from access.secrets_hashing import hash_secret
from catalogue.models import CatalogueEntry
from cli import demo, demo_people
from engine.db import db
from engine.models import ProcessInstance
from tests.browser.axe import assert_accessible, screenshots
from tests.browser.signin import sign_in_staff
from tests.browser.test_story import resident_by_key, sign_in_resident_page
from tests.web.test_design_scenarios import sleep_zip

pytestmark = pytest.mark.browser
HSA = {key: hsa for key, hsa, *_ in demo_people.STAFF}
SECOND_PUBLISHER = "SE2321000016-U002"
SLEEP = "selfhelp_sleep"


@pytest.fixture()
def published_sleep(ctx):
    """The demo (Sömnskola 1.1 published through approval and active on Nord), a second
    publisher, and two residents in Sömnskola on Nord: Anna at its first step, Bo stopped by an
    error (an incident), which no move may touch."""
    engine.clock.reset()
    demo.seed()
    org_unit = db.session.scalar(db.select(CatalogueEntry).where(CatalogueEntry.program_key == SLEEP))
    ulla = directory.create_staff(SECOND_PUBLISHER, "Ulla", "Utgivare", password_hash=hash_secret(demo_people.DEMO_PASSWORD),
                                  totp_secret=demo_people.totp_secret_for(SECOND_PUBLISHER))
    national = db.session.scalar(db.select(CatalogueEntry.publisher_unit_id).where(CatalogueEntry.program_key == SLEEP))
    directory.grant_role(ulla, "utgivare", "publisher_unit", national, "tests")
    nord = directory.staff_by_hsa_id(HSA["behandlare"])
    unit_id = db.session.scalar(db.select(Assignment.unit_id).where(Assignment.staff_id == nord.id))
    anna, bo = resident_by_key("anna"), resident_by_key("bo")
    started = {key: engine.start(org_unit.version_hash, engine.SYSTEM, unit_id=unit_id, subject_id=who.id).instance_id
               for key, who in (("anna", anna), ("bo", bo))}
    db.session.execute(update(ProcessInstance).where(ProcessInstance.id == started["bo"]).values(
        status="incident", incident_element="module_1", incident_message="a test fault"))
    db.session.commit()
    return started, org_unit.version_hash




def rename_module_2(page, label: str, message: str) -> None:
    page.click("a[href$='/modell']")
    page.wait_for_selector("#modeler-save[data-ready=true]")
    page.evaluate("""label => {
        const m = document.getElementById('modeler-canvas').vardflodeModeler;
        m.get('modeling').updateLabel(m.get('elementRegistry').get('module_2'), label);
    }""", label)
    page.fill("#modeler-message", message)
    page.click("#modeler-save button[type=submit]")
    page.wait_for_url(re.compile(r"/design/program/[0-9a-f]+$"))


def submit(page, notes: str) -> None:
    page.fill("#version-label", "1.2")
    page.fill("#release-notes", notes)
    page.click("form[action$='/skicka-in'] button[type=submit]")
    page.wait_for_url(re.compile(r"/design/program/[0-9a-f]+$"))
    assert "Version 1.2 granskas sedan" in page.locator("main").text_content()


def open_review(open_page, hsa_id: str):
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, hsa_id)
    page.click("nav.main-nav a[href='/granskning']")
    page.click("main a[href^='/granskning/']")
    page.wait_for_selector(".review-side--new .djs-element.vf-changed")
    return page


def test_from_a_changed_step_to_the_residents_programs(open_page, published_sleep, tmp_path):
    (started, old_version) = published_sleep
    package = tmp_path / "somnskola.zip"
    package.write_bytes(sleep_zip())  # the published program's folder, with its scenarios
    designer = open_page("/logga-in/medarbetare")
    sign_in_staff(designer, HSA["designer"])
    designer.goto("/design")
    designer.set_input_files("#zip-package", str(package))
    designer.click("form[action='/design/nytt/zip'] button[type=submit]")
    designer.wait_for_url("**/design/program/*")
    rename_module_2(designer, "Modul 2: Vanor för bättre sömn", "Kortare namn på modul 2")
    submit(designer, "Kortare namn på modul 2.")

    ulf = open_review(open_page, HSA["utgivare"])
    for side in ("old", "new"):  # the one changed step, marked on both diagrams
        changed = ulf.locator(f".review-side--{side} .djs-element.vf-changed")
        assert changed.count() == 1 and changed.get_attribute("data-element-id") == "module_2"
    main = ulf.locator("main").text_content()
    assert "Kortare namn på modul 2." in main and "Modul 2: Vanor för bättre sömn" in main
    assert "Täckning" in main and re.search(r"Täckning \d+ ?%", main)  # submitting ran the scenarios
    assert_accessible(ulf)
    screenshots(ulf, "review")
    ulf.check("#decision-send_back")
    ulf.fill("#review-comment", "Behåll ordet rutiner i namnet.")
    ulf.click("form[action^='/granskning/'] button[type=submit]")
    ulf.wait_for_url("**/granskning/*")

    designer.reload()
    assert "Behåll ordet rutiner i namnet." in designer.locator("main").text_content()
    screenshots(designer, "sent-back")
    rename_module_2(designer, "Modul 2: Vanor och rutiner", "Rutiner tillbaka i namnet")
    submit(designer, "Kortare namn på modul 2, med rutiner kvar.")

    ulla = open_review(open_page, SECOND_PUBLISHER)
    ulla.check("#decision-approve")
    ulla.click("form[action^='/granskning/'] button[type=submit]")
    ulla.wait_for_url("**/granskning/*")
    assert "Godkänd och publicerad" in ulla.locator("main").text_content()
    db.session.expire_all()
    new_version = db.session.scalar(db.select(CatalogueEntry.version_hash).where(
        CatalogueEntry.program_key == SLEEP, CatalogueEntry.version_label == "1.2"))
    assert new_version is not None

    admin = open_page("/logga-in/medarbetare")
    sign_in_staff(admin, HSA["vardgivaradmin"])
    admin.goto(f"/katalog/program/{SLEEP}")
    history = admin.locator("main").text_content()
    assert "Version 1.2, publicerad" in history and "Kortare namn på modul 2, med rutiner kvar." in history
    assert "Ulla Utgivare" in history and "Skickad tillbaka till designern" in history
    screenshots(admin, "catalogue-program")
    admin.goto("/katalog")
    admin.click(f"a[href*='/katalog/flytta'][href*='program={SLEEP}']")
    admin.wait_for_load_state()
    assert_accessible(admin)
    plan = admin.locator("main").text_content()
    assert "stoppat av ett fel" in plan  # Bo's program: refused, with its reason
    admin.check("#confirm")
    admin.click("main form button[type=submit]")
    admin.wait_for_load_state()
    assert_accessible(admin)
    assert "1 flyttade, 1 inte flyttade" in admin.locator("main").text_content()
    screenshots(admin, "moved")

    db.session.expire_all()
    assert engine.instance(started["anna"]).version_hash == new_version
    assert engine.instance(started["bo"]).version_hash == old_version
    anna = sign_in_resident_page(open_page, resident_by_key("anna"))
    anna.goto("/mina-uppgifter")
    assert "Modul 1: Så fungerar sömnen" in anna.locator("main").text_content()
    anna.goto("/mina-program")
    assert "Sömnskola" in anna.locator("main").text_content()
    bo = sign_in_resident_page(open_page, resident_by_key("bo"))
    bo.goto("/mina-program")
    assert "Sömnskola" in bo.locator("main").text_content()
