"""The community in real browsers (R71, R74). Nina, national management, writes release notes; Bodil,
a clinician, sees "1" beside News in the header and the item marked new; she opens it, reads the
Markdown as text with a bold word and a list, and the marker and the count are gone. In the
designers' network Dora asks a question about an error, sees the link to report it to support,
Ulf answers, and Dora marks his answer accepted. axe passes on every page at 1280 and at 320 px."""
from __future__ import annotations

import re

import pytest

from cli import demo_people
from tests.browser.axe import look
from tests.browser.signin import sign_in_staff
from tests.browser.test_design_test_run import demo_clinic  # noqa: F401

pytestmark = pytest.mark.browser
HSA = {key: hsa for key, hsa, *_ in demo_people.STAFF}


def fits_320(page) -> bool:
    """WCAG 1.4.10: at 320 CSS px the page does not scroll sideways."""
    page.set_viewport_size({"width": 320, "height": 800})
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return fits


def test_a_news_item_is_marked_new_until_it_is_read(open_page, demo_clinic):
    nina = open_page("/logga-in/medarbetare")
    sign_in_staff(nina, HSA["nationell"])
    nina.goto("/nyheter")
    nina.click("#write-news")
    nina.check("#kind-release_notes")
    nina.fill("#version-label", "2.4")
    nina.fill("#news-title", "Nytt i version 2.4")
    nina.fill("#news-body", "## Nyheter\n\n- **Sök** i designernätverket\n- Snabbare uppgiftslista")
    look(nina, "news-form")
    nina.click("#news-form button[type=submit]")
    nina.wait_for_selector("#news-item")

    bodil = open_page("/logga-in/medarbetare")
    sign_in_staff(bodil, HSA["behandlare"])
    bodil.goto("/nyheter")
    # The demo's own release notes are new to her too: two items, Nina's at the top.
    assert bodil.locator(".main-nav .nav-badge").get_attribute("data-badge") == "2"
    item = bodil.locator("#news-list li").first
    assert item.get_attribute("data-new") == "yes" and item.locator(".new-marker").is_visible()
    assert item.locator("a").text_content() == "Nytt i version 2.4"
    look(bodil, "news-list")
    item.locator("a").click()
    bodil.wait_for_selector("#news-item")
    assert bodil.locator("#news-item strong").text_content() == "Sök"
    assert bodil.locator("#news-item li").count() == 2
    assert bodil.locator(".main-nav .nav-badge").get_attribute("data-badge") == "1"  # one left
    look(bodil, "news-item")
    assert fits_320(bodil)
    bodil.goto("/nyheter")
    assert bodil.locator("#news-list li").first.get_attribute("data-new") == "no"
    bodil.locator("#news-list li[data-new=yes] a").click()
    bodil.wait_for_selector("#news-item")
    assert bodil.locator(".main-nav .nav-badge").count() == 0  # all seen: the count is gone
    bodil.goto("/nyheter")
    assert bodil.locator(".new-marker").count() == 0


def test_a_designer_asks_the_network_and_accepts_an_answer(open_page, demo_clinic):
    dora = open_page("/logga-in/medarbetare")
    sign_in_staff(dora, HSA["designer"])
    dora.goto("/natverk")
    dora.fill("#ask-title", "Påminnelsen kommer inte efter att klockan flyttats")
    dora.fill("#ask-body", "Timern på modul 2 verkar inte räknas om. Har någon sett det?")
    dora.check("#ask-reports-error")
    look(dora, "network")
    dora.click("#ask-form button[type=submit]")
    dora.wait_for_url(re.compile(r".*/natverk/[0-9a-f]{32}$"))
    question_url = dora.url
    assert dora.locator("#support-link").get_attribute("href")
    assert dora.locator("#no-answers").is_visible()

    ulf = open_page("/logga-in/medarbetare")
    sign_in_staff(ulf, HSA["utgivare"])
    ulf.goto("/natverk?q=klockan")
    ulf.click("#network-questions a")
    ulf.fill("#answer-body", "Ett känt fel, rättat i 2.5. Rapportera det ändå till supporten.")
    ulf.click("#answer-form button[type=submit]")
    ulf.wait_for_selector("#answers li")
    assert ulf.locator(".accept-form").count() == 0  # only the asker accepts

    dora.goto(question_url)
    look(dora, "network-question")
    assert fits_320(dora)
    dora.click(".accept-form button")
    dora.wait_for_selector('#answers li[data-accepted="yes"]')
    assert dora.locator(".accepted-label").is_visible()
    assert "rättat i 2.5" in dora.locator(".accepted-answer").text_content()
    dora.goto("/natverk?q=klockan")
    assert dora.locator("#network-questions li").count() == 1
    assert dora.locator("#network-questions li").first.get_attribute("data-accepted") == "yes"
