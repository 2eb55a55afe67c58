"""A designer's first program, in the browser: sign in strongly (password and TOTP), make a program
from the blank template, draw in the modeler (Swedish palette), save, and find the save in the
history; the live check lists the validator's findings, marks the element and selects it when
chosen. axe passes on the list and the program page; the page fixture fails on any CSP report."""
from __future__ import annotations

import re

import pytest

from engine import clock
from engine.db import db
from tests.browser.axe import assert_accessible
from tests.browser.signin import sign_in_staff
from cli import demo, demo_people

DESIGNER = next(row[1] for row in demo_people.STAFF if row[0] == "designer")


@pytest.fixture()
def demo_clinic(ctx):
    clock.reset()
    demo.seed()
    db.session.commit()


def palette_titles(page):
    return page.locator(".djs-palette [role=button]").evaluate_all(
        "entries => entries.map(e => e.getAttribute('aria-label'))")


def test_a_designer_draws_and_saves_a_program(open_page, demo_clinic):
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, DESIGNER)
    page.click("nav.main-nav a[href='/design']")
    assert_accessible(page)

    page.fill("#blank-name", "Min första modell")
    page.click("form[action='/design/nytt/tomt'] button[type=submit]")
    page.wait_for_url("**/design/program/*")
    assert page.locator("h1").text_content() == "Min första modell"
    assert_accessible(page)

    page.click("a[href$='/modell']")
    page.wait_for_selector("#modeler-save[data-ready=true]")
    assert "Skapa starthändelse" in palette_titles(page)
    assert page.locator(".bjs-powered-by").is_visible()  # the bpmn.io watermark (its licence)
    page.evaluate("""() => {
        const m = document.getElementById('modeler-canvas').vardflodeModeler;
        m.get('modeling').updateLabel(m.get('elementRegistry').get('first_answer'), 'Hur mår du?');
    }""")
    assert_accessible(page)
    page.fill("#modeler-message", "Första frågan omformulerad")
    page.click("#modeler-save button[type=submit]")
    page.wait_for_url(re.compile(r"/design/program/[0-9a-f]+$"))
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "Första frågan omformulerad" in rows.first.text_content()
    assert "Dora Designer" in rows.first.text_content()
    assert_accessible(page)


def test_the_modeler_shows_the_validators_findings_and_selects_the_element(open_page, demo_clinic):
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, DESIGNER)
    page.goto("/design")
    page.fill("#blank-name", "Kontrollerad modell")
    page.click("form[action='/design/nytt/tomt'] button[type=submit]")
    page.wait_for_url("**/design/program/*")
    page.click("a[href$='/modell']")
    page.wait_for_selector("#modeler-save[data-ready=true]")
    page.wait_for_selector("#modeler-findings p")  # the blank template: no findings
    assert page.locator("#modeler-findings button").count() == 0
    assert page.locator("#modeler-findings").get_attribute("aria-live") == "polite"

    # A lane no role is named after: its task is at fault (the validator's own words).
    page.evaluate("""() => {
        const m = document.getElementById('modeler-canvas').vardflodeModeler;
        m.get('modeling').updateLabel(m.get('elementRegistry').get('Lane_invanare'), 'Gäster');
    }""")
    finding = page.locator("#modeler-findings button")
    finding.first.wait_for()
    # The validator's finding on the task, then the import check's on the lane itself.
    assert finding.all_text_contents() == [
        "first_answer: the lane 'Gäster' does not name a known role",
        "Lane_invanare: lane 'Gäster': not a role; rename the lane to the role that does its steps "
        "(Invånare, Behandlare)"]
    assert page.locator(".djs-element.vf-finding[data-element-id=first_answer]").count() == 1
    assert page.locator(".djs-element.vf-finding[data-element-id=Lane_invanare]").count() == 1
    assert page.locator(".djs-overlay-container .vf-finding-icon").count() == 2
    assert_accessible(page)

    finding.first.click()
    selected = page.evaluate("""() => document.getElementById('modeler-canvas').vardflodeModeler
        .get('selection').get().map(e => e.id)""")
    assert selected == ["first_answer"]

    # Undo: the finding and its marker go.
    page.evaluate("() => document.getElementById('modeler-canvas').vardflodeModeler.get('commandStack').undo()")
    page.wait_for_selector("#modeler-findings p")
    assert page.locator(".vf-finding").count() == 0 and page.locator(".vf-finding-icon").count() == 0

    # A draft may still be saved with problems.
    page.evaluate("""() => {
        const m = document.getElementById('modeler-canvas').vardflodeModeler;
        m.get('modeling').updateLabel(m.get('elementRegistry').get('Lane_invanare'), 'Gäster');
    }""")
    finding.first.wait_for()
    page.click("#modeler-save button[type=submit]")
    page.wait_for_url(re.compile(r"/design/program/[0-9a-f]+$"))
    assert page.locator("tbody tr").count() == 2
