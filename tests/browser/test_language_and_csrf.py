"""The language switch through the real form, and what a form without its CSRF token gets."""
from __future__ import annotations

from tests.browser.axe import assert_accessible


def heading(page) -> str:
    return page.locator("h1").inner_text()


def test_the_switch_changes_the_language_and_it_stays(open_page):
    page = open_page("/", "sv-SE")
    assert heading(page) == "Välkommen till Vårdflöde"

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert heading(page) == "Welcome to Vårdflöde"
    assert page.get_by_role("navigation", name="Main menu").is_visible()

    page.goto("/finns-inte")  # the browser still asks for Swedish; the choice wins
    assert heading(page) == "Page not found"

    with page.expect_navigation():
        page.get_by_role("button", name="Svenska").click()
    assert page.url.endswith("/finns-inte")
    assert heading(page) == "Sidan hittades inte"
    page.goto("/")
    assert heading(page) == "Välkommen till Vårdflöde"


def test_a_form_without_its_token_gets_the_translated_400(open_page):
    for locale, button, title in [("sv-SE", "English", "Formuläret kunde inte skickas"),
                                  ("en-GB", "Svenska", "The form could not be sent")]:
        page = open_page("/", locale)
        page.locator("form.language-switch input[name=csrf_token]").evaluate("input => input.remove()")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name=button).click()
        assert navigation.value.status == 400
        assert heading(page) == title
        assert_accessible(page)


def test_a_forged_token_is_refused_and_the_language_is_unchanged(open_page):
    page = open_page("/")
    page.locator("form.language-switch input[name=csrf_token]").evaluate("input => input.value = 'forged'")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="English").click()
    assert navigation.value.status == 400
    page.goto("/")
    assert heading(page) == "Välkommen till Vårdflöde"
