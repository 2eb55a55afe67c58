"""A designer's test run in the browser: "Testa" the blank program for the test resident, act as
the test resident in the real pages (marked TEST) and answer the step, switch to the test
clinician in one click, come back, move the run's clock, and read the trace. axe passes on every
page on the way, at 1280 and at 320 px; screenshots land in VARDFLODE_SCREENSHOTS if it is set."""
from __future__ import annotations

import re

import pytest

from engine import clock
from engine.db import db
from tests.browser.axe import assert_accessible, look
from tests.browser.signin import sign_in_staff
from cli import demo, demo_people
from tests.web.test_design_test_runs import week_program

DESIGNER = next(row[1] for row in demo_people.STAFF if row[0] == "designer")
pytestmark = pytest.mark.browser


@pytest.fixture()
def demo_clinic(ctx):
    clock.reset()
    demo.seed()
    db.session.commit()




def test_a_designer_test_runs_a_program_as_the_test_resident_and_clinician(open_page, demo_clinic, tmp_path):
    package = tmp_path / "vecka.zip"
    package.write_bytes(week_program())
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, DESIGNER)
    page.goto("/design")
    page.set_input_files("#zip-package", str(package))
    page.click("form[action='/design/nytt/zip'] button[type=submit]")
    page.wait_for_url("**/design/program/*")
    page.select_option("#test-resident", label="Testa Testsson")
    page.click("form[action$='/testa'] button[type=submit]")
    page.wait_for_url("**/design/testkorning/*")
    assert "Hemuppgift" in page.locator("main").text_content()
    look(page, "test-run")

    page.click("button[name=som][value=resident]")
    page.wait_for_url("**/mina-uppgifter")
    assert page.title().startswith("TEST – ")
    assert "testinvånaren Testa Testsson" in page.locator(".test-run-banner").text_content()
    look(page, "test-resident-steps")
    page.click("main a[href^='/mina-uppgifter/']")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/kvitto$"))
    assert page.locator(".test-run-banner").is_visible()

    page.click(".test-run-banner button[value=staff]")
    page.wait_for_url("**/uppgifter")
    assert "testbehandlaren" in page.locator(".test-run-banner").text_content()
    look(page, "test-clinician-tasks")

    page.click(".test-run-banner button[value=designer]")
    page.wait_for_url("**/design/testkorning/*")
    assert page.locator(".test-run-banner").count() == 0
    assert "Inget steg väntar på någon" in page.locator("main").text_content()  # the week runs
    page.click("button[name=steg][value=day]")
    page.wait_for_url("**/design/testkorning/*")
    page.click("button[name=steg][value=next]")
    page.wait_for_url("**/design/testkorning/*")
    trace = page.locator(".test-run-trace").text_content()
    assert "test clock moved – P1D" in trace and "timer fired" in trace
    assert "Återkoppling" in page.locator("main").text_content()  # the clinician's step opened
    look(page, "test-run-after")
