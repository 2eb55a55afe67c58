"""The resident's journey works on a phone and without JavaScript: sign in, answer the waiting
questionnaire, see the program in plain words – with scripts switched off in the browser, and
with nothing wider than a 375 px screen."""
from __future__ import annotations

import pytest

from engine import clock
from engine.db import db
from access.models import Resident
from tests.browser.axe import assert_accessible
from tests.browser.test_story import answer_current_step
from cli import demo

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "sv-SE"}


@pytest.fixture()
def anna(ctx):
    """The demo clinic: Anna's assessment questionnaire is waiting for her."""
    clock.reset()
    demo.seed()
    db.session.commit()
    return db.session.scalar(db.select(Resident).where(Resident.given_name == "Anna"))


def phone_page(chromium, live_server, resident, *, scripts: bool):
    context = chromium.new_context(base_url=live_server, java_script_enabled=scripts, **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/logga-in/invanare")
    page.check(f"#id-{resident.id}")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/logga-in/" not in page.url, page.url
    return page


def test_a_resident_answers_and_follows_the_program_without_javascript(chromium, live_server, anna):
    page = phone_page(chromium, live_server, anna, scripts=False)
    page.goto("/mina-uppgifter")
    page.click("main a[href^='/mina-uppgifter/']")
    task_id = page.url.rsplit("/", 1)[-1]
    answer_current_step(page, {"phq9_9": "0"}, back=f"/mina-program/*/steg/{task_id}/kvitto")
    assert "Tack – ditt svar är skickat" in page.locator("main h1").inner_text()
    assert page.locator("main .crisis").count() == 0  # no risk in her answers

    page.goto("/mina-program")
    page.click("main a[href^='/mina-program/']")
    text = page.locator("main").inner_text()
    assert "Läs modulen" in text  # no risk in her answers: module 1 opens at once
    states = page.locator("ol.modules li").evaluate_all("items => items.map(i => i.className)")
    assert states == ["module-current"] + ["module-locked"] * 7
    assert "Fyll i bedömningsformulär" in text  # what she has done

    # Module 1: read it, then find it again under what she has done.
    program = page.url
    page.click("main a[href^='/mina-uppgifter/']")
    heading = page.locator("main .instructions h2").first.inner_text()
    page.click("main form button[type=submit]")
    page.wait_for_url("**/kvitto")
    page.goto(program)
    page.click("main ul.done-steps a:has-text('Läs modulen')")
    assert page.locator("main .instructions h2").first.inner_text() == heading
    page.context.close()


@pytest.mark.parametrize("path", ["/mina-uppgifter", "/mina-program", "/mina-meddelanden", "/mina-kontaktuppgifter"])
def test_resident_pages_fit_a_phone_screen(chromium, live_server, anna, path):
    page = phone_page(chromium, live_server, anna, scripts=True)
    page.goto(path)
    if path == "/mina-program":
        page.click("main a[href^='/mina-program/']")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the phone"
    assert_accessible(page)
    page.context.close()
