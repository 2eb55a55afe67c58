"""The front page and every error page pass axe, in Swedish and in English."""
from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible

LOCALES = {"sv": "sv-SE", "en": "en-GB"}
ERROR_PAGES = [(404, "/finns-inte"), (405, "/sprak"), (400, "/_test/abort/400"), (403, "/_test/abort/403"),
               (413, "/_test/abort/413"), (429, "/_test/abort/429"), (500, "/_test/abort/500"), (500, "/_test/crash")]


@pytest.mark.parametrize("lang", LOCALES)
def test_front_page(open_page, lang):
    page = open_page("/", LOCALES[lang])
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("h1").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("lang", LOCALES)
def test_every_page_the_header_links_to_for_visitors(open_page, lang):
    page = open_page("/", LOCALES[lang])
    paths = page.locator("nav.main-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for path in paths:
        assert page.goto(path).status == 200, path
        assert page.evaluate("document.documentElement.lang") == lang
        assert_accessible(page)


@pytest.mark.parametrize("lang", LOCALES)
def test_error_pages(open_page, lang):
    page = open_page("/", LOCALES[lang])
    for code, path in ERROR_PAGES:
        response = page.goto(path)
        assert response.status == code, path
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.get_by_text(f"{'Felkod' if lang == 'sv' else 'Error code'}: {code}").is_visible()
        assert_accessible(page)


def test_the_skip_link_comes_first_and_leads_to_the_content(open_page):
    page = open_page("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_axe_check_fails_readably_on_a_serious_violation(open_page):
    page = open_page("/")
    page.evaluate("""() => { const img = document.createElement('img');
        img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.querySelector('main').append(img); }""")
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)
    assert "[critical] image-alt" in str(failure.value) and "<img" in str(failure.value)
