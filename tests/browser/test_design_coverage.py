"""Path coverage in the browser: a designer imports the sleep program with two of its four
scenarios, runs them ("Kör alla scenarier"), reads the percentage, and opens the coverage page,
where the diagram marks the element no scenario reached (a dashed outline) and the list under it
names it. A scenario is also edited there, and bad JSON is named by file and line. axe passes; the
page fixture fails on any CSP report or script error."""
from __future__ import annotations

import io
import re
import zipfile

from tests.browser.axe import assert_accessible
from tests.browser.signin import sign_in_staff
from tests.browser.test_design_modeler import DESIGNER, demo_clinic  # noqa: F401
from tests.web.test_design_scenarios import SLEEP

# Without these two scenarios nobody still sleeps badly after three weeks: "seek_care" is never taken.
LEFT_OUT = {"scenarios/risk_answer.json", "scenarios/slow_weeks.json"}


def sleep_with_two_scenarios() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in sorted(SLEEP.rglob("*")):
            name = item.relative_to(SLEEP).as_posix()
            if item.is_file() and name not in LEFT_OUT:
                archive.writestr(name, item.read_bytes())
    return buffer.getvalue()


def test_the_scenarios_coverage_is_drawn_on_the_diagram(open_page, demo_clinic):
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, DESIGNER)
    page.goto("/design")
    page.set_input_files("#zip-package", files=[{"name": "somn.zip", "mimeType": "application/zip",
                                                 "buffer": sleep_with_two_scenarios()}])
    page.click("form[action='/design/nytt/zip'] button[type=submit]")
    page.wait_for_url(re.compile(r"/design/program/[0-9a-f]+$"))

    page.click("form[action$='/scenarier'] button[type=submit]")
    page.wait_for_selector(".scenario-results")
    assert re.search(r"90\s?%.*27.*30", page.locator(".coverage-summary").text_content())
    page.click("a[href*='/tackning/']")

    page.wait_for_selector(".bpmn-coverage--ready")
    never = page.locator(".djs-element.vf-never[data-element-id=seek_care]")
    assert never.count() == 1
    dashes = never.locator(".djs-visual > :first-child").evaluate("e => getComputedStyle(e).strokeDasharray")
    assert dashes not in ("", "none")  # not colour alone
    assert page.locator(".djs-connection.vf-never[data-element-id=flow_still_poor]").count() == 1
    assert page.locator(".djs-element.vf-taken[data-element-id=diary_3]").count() == 1
    assert page.locator(".djs-element.vf-taken").count() == 27
    assert "seek_care" in page.locator(".never-taken").text_content()
    assert page.locator(".bjs-powered-by").is_visible()  # the bpmn.io watermark (its licence)
    assert_accessible(page)


    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert page.locator(".never-taken").is_visible()


def test_a_scenario_is_edited_in_the_browser_and_bad_json_is_named(open_page, demo_clinic):
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, DESIGNER)
    page.goto("/design")
    page.set_input_files("#zip-package", files=[{"name": "somn.zip", "mimeType": "application/zip",
                                                 "buffer": sleep_with_two_scenarios()}])
    page.click("form[action='/design/nytt/zip'] button[type=submit]")
    page.wait_for_url(re.compile(r"/design/program/[0-9a-f]+$"))
    page.click("a[href$='/scenarier/redigera']")
    assert page.locator("textarea[name=text]").count() == 2
    assert_accessible(page)

    page.fill("#scenario-0", '{\n  "_about": "trasig"\n  "steps": []\n}')
    page.click(".scenario-edit button[type=submit]")
    summary = page.locator("#error-summary")
    assert "scenarios/low_scores.json, rad 3" in summary.text_content()
    assert page.locator("#scenario-0").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320

    page.fill("#scenario-0", '{"_about": "hel igen"}')
    page.click(".scenario-edit button[type=submit]")
    page.wait_for_url(re.compile(r"/design/program/[0-9a-f]+$"))
    assert page.locator("tbody tr").count() == 2
