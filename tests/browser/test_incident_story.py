"""An incident in real browsers (issue 13): Bodil, a clinician, follows the shell's "Rapportera
avvikelse" link from the resident list, finds the page, product, version and time filled in and the
warning against patient data, describes a serious incident and attaches a screenshot; her page shows
the case, and the report to Läkemedelsverket is there at once with its fields and the guidance link;
she records the day she sent it. Nina, national management, triages, investigates, corrects and
closes; Bodil's page shows each stage. axe passes on every page at 1280 and at 320 px."""
from __future__ import annotations

import re

import pytest

from cli import demo_people
from tests.browser.signin import sign_in_staff
from tests.browser.test_design_test_run import demo_clinic, look  # noqa: F401

pytestmark = pytest.mark.browser
HSA = {key: hsa for key, hsa, *_ in demo_people.STAFF}


def stage_of(page) -> str:
    page.goto("/avvikelse/mina")
    return page.locator("#my-incidents .incident-stage").first.get_attribute("data-stage")


def test_a_clinician_reports_a_serious_incident_and_follows_it_to_closure(open_page, demo_clinic, tmp_path):
    bodil = open_page("/logga-in/medarbetare")
    sign_in_staff(bodil, HSA["behandlare"])
    bodil.goto("/invanare")
    screenshot = tmp_path / "skarmbild.png"
    bodil.screenshot(path=str(screenshot))
    bodil.click("#report-incident")
    bodil.wait_for_url(re.compile(r".*/avvikelse/ny\?.*"))
    assert bodil.input_value("#page-url") == "/invanare"
    assert bodil.is_checked("#product-stod_och_behandling") and bodil.input_value("#platform-version")
    assert bodil.input_value("#observed-at") and bodil.locator("#no-patient-data").is_visible()
    assert bodil.input_value("#what-happened") == ""  # never filled in for the reporter
    look(bodil, "incident-form")
    bodil.fill("#what-happened", "Invånarlistan visade en annan enhets invånare efter byte av uppdrag.")
    bodil.check("#consequence-could_have_led_to")
    bodil.set_input_files("#evidence", str(screenshot))
    bodil.click("#incident-form button[type=submit]")
    bodil.wait_for_url(re.compile(r".*/avvikelse/mina\?.*"))
    assert bodil.locator("#reported").is_visible() and stage_of(bodil) == "reported"
    case_id = bodil.locator("#my-incidents tbody tr").first.get_attribute("id").removeprefix("case-")
    look(bodil, "incident-mine")

    bodil.click("#my-incidents a[href$='/lakemedelsverket']")
    assert bodil.locator("[data-field=reporter_hsa_id]").text_content() == HSA["behandlare"]
    assert bodil.locator("[data-field=page_url]").text_content() == "/invanare"
    assert bodil.locator("#guidance-link").get_attribute("href").startswith("https://")
    look(bodil, "incident-agency-report")
    bodil.fill("#sent-on", bodil.locator("#sent-on").get_attribute("max"))
    bodil.click("#agency-sent-form button[type=submit]")
    bodil.wait_for_selector("#agency-sent")

    nina = open_page("/logga-in/medarbetare")
    sign_in_staff(nina, HSA["nationell"])
    nina.goto("/avvikelser")
    # The demo's own report waits for triage too; Bodil's is the one with her evidence.
    assert nina.locator(f"#row-{case_id} td[data-deadline=triage]").count() == 1
    look(nina, "incident-cases")
    nina.click(f"#row-{case_id} a")
    nina.wait_for_url(re.compile(r".*/avvikelser/[0-9a-f]{32}$"))
    assert nina.locator("#incident-evidence a").count() == 1
    look(nina, "incident-case")
    steps = [("triage", "Tillverkarens ansvar; behörighetsfel.", "triaged"),
             ("investigate", "Uppdraget lästes från en gammal session.", "investigated"),
             ("corrective_action", "Uppdraget läses om vid varje begäran.", "corrected"),
             ("close_case", "Rättat i nästa version och rapporterat.", "closed")]
    for step, text, stage in steps:
        if step == "triage":
            nina.check("#severity-serious")
        nina.fill("#step-text", text)
        nina.click("#step-form button[type=submit]")
        nina.wait_for_selector(f'#incident-stage[data-stage="{stage}"]')  # the page after the step
        assert stage_of(bodil) == stage
    assert "Rättat i nästa version" in nina.locator("#closing-summary").text_content()
    look(nina, "incident-closed")
