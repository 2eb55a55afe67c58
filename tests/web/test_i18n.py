"""Swedish by default, English on request: the visitor's choice, else Accept-Language, else Swedish."""
from __future__ import annotations

import pytest

from tests.web.pages import post_form


@pytest.mark.parametrize("accept, lang, heading", [
    (None, "sv", "Välkommen till Vårdflöde"),
    ("sv-SE,sv;q=0.9", "sv", "Välkommen till Vårdflöde"),
    ("en-GB,en;q=0.8", "en", "Welcome to Vårdflöde"),
    ("de-DE,fr;q=0.5", "sv", "Välkommen till Vårdflöde"),
    ("de,en;q=0.5,sv;q=0.4", "en", "Welcome to Vårdflöde"),
])
def test_the_browser_language_picks_the_page_language(ctx, accept, lang, heading):
    headers = {"Accept-Language": accept} if accept else {}
    page = ctx.test_client().get("/", headers=headers).text
    assert f'<html lang="{lang}">' in page
    assert heading in page


def test_the_switch_stores_the_choice_and_it_outlasts_accept_language(ctx):
    client = ctx.test_client()
    response = post_form(client, "/sprak", {"lang": "en", "next": "/finns-inte?x=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/finns-inte?x=1"
    with client.session_transaction() as session:
        assert session["lang"] == "en"
    page = client.get("/", headers={"Accept-Language": "sv"}).text
    assert '<html lang="en">' in page and "Welcome to Vårdflöde" in page
    assert 'value="sv" lang="sv">Svenska</button>' in page

    post_form(client, "/sprak", {"lang": "sv", "next": "/"})
    assert "Välkommen till Vårdflöde" in client.get("/", headers={"Accept-Language": "en"}).text


def test_the_switch_sends_back_to_the_page_it_was_on(ctx):
    page = ctx.test_client().get("/finns-inte?a=1&b=2").text
    assert 'name="next" value="/finns-inte?a=1&amp;b=2"' in page


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)",
    "http:/evil.example", "/\tevil", "evil.example", "", None,
])
def test_the_switch_never_redirects_off_site(ctx, target):
    data = {"lang": "en"} if target is None else {"lang": "en", "next": target}
    response = post_form(ctx.test_client(), "/sprak", data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_an_unknown_language_is_refused(ctx):
    client = ctx.test_client()
    response = post_form(client, "/sprak", {"lang": "de", "next": "/"})
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "lang" not in session


def test_a_stored_language_that_is_not_offered_is_ignored(ctx):
    client = ctx.test_client()
    with client.session_transaction() as session:
        session["lang"] = "xx"
    assert '<html lang="sv">' in client.get("/").text


def test_python_strings_follow_the_request_language(ctx):
    from flask_babel import force_locale

    from web.shell.navigation import SIGNED_OUT
    with ctx.test_request_context("/"):
        assert str(SIGNED_OUT[0].label) == "Logga in som medarbetare"
        with force_locale("en"):
            assert str(SIGNED_OUT[0].label) == "Sign in as staff"


@pytest.mark.parametrize("accept, day, moment", [
    ("en", "24 Nov 2026", "24/11/2026, 15:00"),
    ("sv", "24 nov. 2026", "2026-11-24 15:00"),
])
def test_dates_are_written_as_in_the_languages_country_never_the_us_way(ctx, accept, day, moment):
    from datetime import date, datetime, timezone
    from flask import render_template_string
    from flask_babel import refresh
    with ctx.test_request_context("/", headers={"Accept-Language": accept}):
        refresh()
        shown = render_template_string("{{ d|dateformat }}|{{ t|datetimeformat('short') }}|{{ t|dateformat }}",
                                       d=date(2026, 11, 24), t=datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc))
    assert shown == f"{day}|{moment}|{day}"
    assert "11/24" not in shown and "PM" not in shown and "Nov 24" not in shown
