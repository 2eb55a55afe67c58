"""A support case in real browsers (R63–R69, R84): Bodil, a clinician, follows the shell's "Kontakta
support" link from the resident list and finds the page, product, version and time filled in;
choosing "signing in" shows where login problems go, choosing "the content of a program" hides it
again. She asks about a program's content with a screenshot; the case goes to the publisher unit
that owns the program, where Ulf, its publisher, answers; Bodil's page shows the answer and the
stage. axe passes on every page at 1280 and at 320 px."""
from __future__ import annotations

import re

import pytest

from cli import demo_people
from tests.browser.signin import sign_in_staff
from tests.browser.test_design_test_run import demo_clinic, look  # noqa: F401

pytestmark = pytest.mark.browser
HSA = {key: hsa for key, hsa, *_ in demo_people.STAFF}


def stage_of(page) -> str:
    page.goto("/support/mina")
    return page.locator("#my-support-cases .support-stage").first.get_attribute("data-stage")


def test_a_content_question_goes_to_the_programs_publisher_who_answers(open_page, demo_clinic, tmp_path):
    bodil = open_page("/logga-in/medarbetare")
    sign_in_staff(bodil, HSA["behandlare"])
    bodil.goto("/invanare")
    screenshot = tmp_path / "skarmbild.png"
    bodil.screenshot(path=str(screenshot))
    bodil.click("#contact-support")
    bodil.wait_for_url(re.compile(r".*/support/nytt\?.*"))
    assert bodil.input_value("#page-url") == "/invanare" and bodil.input_value("#platform-version")
    assert bodil.is_checked("#product-stod_och_behandling") and bodil.input_value("#observed-at")
    assert not bodil.locator("#login-pointer").is_visible()
    bodil.check("#category-login")  # R68: told at once where login problems go
    assert bodil.locator("#login-support-link").is_visible()
    assert bodil.locator("#login-support-link").get_attribute("href").startswith("https://")
    look(bodil, "support-form-login")
    bodil.check("#category-content")
    assert not bodil.locator("#login-pointer").is_visible()
    bodil.select_option("#program-key", index=1)
    program = bodil.locator("#program-key option:checked").text_content()
    bodil.fill("#question", "Varför kommer övning 3 före övning 2 i vecka två?")
    bodil.set_input_files("#evidence", str(screenshot))
    bodil.click("#support-form button[type=submit]")
    bodil.wait_for_url(re.compile(r".*/support/[0-9a-f]{32}\?raised=1$"))
    assert bodil.locator("#raised").is_visible()
    assert bodil.locator("#support-stage").get_attribute("data-stage") == "with_publisher"
    assert bodil.locator("#support-program").text_content() == program
    look(bodil, "support-case-sent")

    ulf = open_page("/logga-in/medarbetare")
    sign_in_staff(ulf, HSA["utgivare"])
    ulf.goto("/supportarenden")
    assert ulf.locator("#support-cases tbody tr").count() == 1
    look(ulf, "support-queue")
    ulf.click("#support-cases a")
    ulf.wait_for_url(re.compile(r".*/supportarenden/[0-9a-f]{32}$"))
    assert ulf.locator("#support-evidence a").count() == 1
    look(ulf, "support-handle")
    ulf.fill("#answer", "Ordningen är avsiktlig: övning 3 förbereder övning 2.")
    ulf.click("#answer-form button[value=answer]")
    ulf.wait_for_selector('#support-stage[data-stage="answered"]')

    assert stage_of(bodil) == "answered"
    look(bodil, "support-mine")
    bodil.click("#my-support-cases a")
    assert "övning 3 förbereder övning 2" in bodil.locator("#support-answer").text_content()
    look(bodil, "support-case-answered")
