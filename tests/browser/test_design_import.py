"""Importing a BPMN file from another tool in the browser: the designer uploads a Camunda Modeler
file, lands on the import report (axe, and it fits 320 px), opens the modeler and finds the complex
gateway the platform does not run marked on the diagram, and the lane named for a department marked
by the import's own check."""
from __future__ import annotations

from pathlib import Path

import pytest

from cli import demo, demo_people
from engine import clock
from engine.db import db
from tests.browser.axe import assert_accessible
from tests.browser.signin import sign_in_staff

DESIGNER = next(row[1] for row in demo_people.STAFF if row[0] == "designer")
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "miwg" / "camunda_referral.bpmn"


@pytest.fixture()
def demo_clinic(ctx):
    clock.reset()
    demo.seed()
    db.session.commit()


def test_an_imported_file_reports_each_element_and_the_modeler_marks_them(open_page, demo_clinic):
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, DESIGNER)
    page.goto("/design")
    page.set_input_files("#bpmn-file", str(SAMPLE))
    page.click("form[action='/design/nytt/bpmn'] button[type=submit]")
    page.wait_for_url("**/design/program/*/import")

    assert "camunda_referral" in page.locator("h1").text_content()
    gateway = page.locator("#import-report-elements li[data-element=Gateway_route]")
    assert "use an exclusive or inclusive gateway with conditions" in gateway.text_content()
    assert page.locator("#import-report-elements li[data-element=Activity_register]").count() == 1
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.set_viewport_size({"width": 1280, "height": 800})

    page.click("main a[href$='/modell']")
    page.wait_for_selector("#modeler-save[data-ready=true]")
    page.locator("#modeler-findings button").first.wait_for()
    assert page.locator(".djs-element.vf-finding[data-element-id=Gateway_route]").count() == 1
    assert page.locator(".djs-element.vf-finding[data-element-id=Lane_intake]").count() == 1
    findings = page.locator("#modeler-findings button").all_text_contents()
    assert any(text.startswith("Gateway_route: the element 'complexGateway' is not supported") for text in findings)
    assert any(text.startswith("Lane_intake: lane 'Intake department': not a role") for text in findings)
    assert_accessible(page)


def test_a_file_without_a_diagram_is_laid_out_and_opens_with_its_findings_marked(open_page, demo_clinic):
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, DESIGNER)
    page.goto("/design")
    page.set_input_files("#bpmn-file", str(SAMPLE.with_name("bpmnio_no_diagram.bpmn")))
    page.click("form[action='/design/nytt/bpmn'] button[type=submit]")
    page.wait_for_url("**/design/program/*/import")
    assert "laid out automatically" in page.locator("main").text_content()

    page.click("main a[href$='/modell']")
    page.wait_for_selector("#modeler-save[data-ready=true]")
    page.locator("#modeler-findings button").first.wait_for()
    assert page.locator("#modeler-status").text_content() == ""  # opened without warnings
    assert page.locator(".djs-element.vf-finding[data-element-id=Activity_questionnaire]").count() == 1
    assert page.locator(".djs-element.vf-finding[data-element-id=Event_goto_end]").count() == 1  # its link definition
    assert page.locator(".djs-element[data-element-id=Flow_b]").count() == 1  # the flows are drawn too
