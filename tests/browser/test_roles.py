"""A new user's walk through the demo: sign in through the real pages (password and TOTP) as
each demo role, open every page the menu offers, see only what the role may see, and pass axe
on every page, in Swedish and in English."""
from __future__ import annotations

import pytest

from engine import clock
from engine.db import db
from tests.browser.axe import assert_accessible
from tests.browser.signin import sign_in_staff
from cli import demo, demo_people

LOCALES = ["sv-SE", "en-GB"]
# What each role must see and must not see somewhere on the pages its menu offers.
EXPECTED = {
    "behandlare": (["Andersson", "Skyddad identitet|Protected identity"], ["Testsson", "Fors"]),
    "invanaradmin": (["Andersson"], ["Testsson"]),
    "behorighetsadmin": (["Bodil Behandlare"], ["Andersson"]),
    "loggranskare": ([], ["Petra Privat"]),
    "vardgivaradmin": (["Psykiatrimottagning Nord"], ["Privat KBT-mottagning", "Andersson"]),
    "designer": (["Testsson"], ["Andersson"]),
    "utgivare": (["Testsson"], ["Andersson"]),
    "nationell": (["Privat Psykologi AB", "Utbildningsredaktionen"], ["Andersson"]),
    "privat": ([], ["Andersson", "Berg", "Dahl"]),
}


@pytest.fixture()
def demo_clinic(ctx):
    clock.reset()
    summary = demo.seed()
    db.session.commit()
    return summary


def menu_pages(page) -> list[str]:
    return page.eval_on_selector_all("nav.main-nav a", "links => links.map(a => a.getAttribute('href'))")


def visit_all(page, locale) -> str:
    seen = []
    for href in menu_pages(page):
        response = page.goto(href)
        assert response.status == 200, (href, response.status)
        assert page.locator("html").get_attribute("lang") == locale[:2]
        assert_accessible(page)
        seen.append(page.content())
    return "\n".join(seen)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("key", list(EXPECTED))
def test_each_demo_role_sees_its_own_pages(open_page, demo_clinic, key, locale):
    hsa_id = next(row[1] for row in demo_people.STAFF if row[0] == key)
    page = open_page("/logga-in/medarbetare", locale)
    assert_accessible(page)
    sign_in_staff(page, hsa_id)
    assert_accessible(page)
    text = visit_all(page, locale)
    must, must_not = EXPECTED[key]
    for expected in must:
        assert any(option in text for option in expected.split("|")), (key, expected)
    for hidden in must_not:
        assert hidden not in text, (key, hidden)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_resident_sees_their_programs_and_their_log(open_page, demo_clinic, locale):
    page = open_page("/logga-in/invanare", locale)
    assert_accessible(page)
    page.check("input[name=identity] + label:has-text('Anna Andersson') >> xpath=preceding-sibling::input")
    page.click("main button[type=submit]")
    text = visit_all(page, locale)
    assert "Depression" in text
    assert "Bodil" not in text  # the log extract names units, never staff
