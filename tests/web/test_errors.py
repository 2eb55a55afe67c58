"""Error pages: translated, helpful, in the layout, and never a stack trace."""
from __future__ import annotations

import pytest

from tests.web.apps import app_with_failures
from tests.web.pages import csrf_token

TITLES = {
    400: ("Begäran kunde inte hanteras", "The request could not be handled"),
    403: ("Åtkomst nekad", "Access denied"),
    404: ("Sidan hittades inte", "Page not found"),
    405: ("Sidan kan inte användas på det sättet", "This page cannot be used that way"),
    413: ("Det du skickade är för stort", "What you sent is too large"),
    429: ("För många försök", "Too many attempts"),
    500: ("Något gick fel", "Something went wrong"),
}


@pytest.fixture(scope="module")
def failing(app):
    return app_with_failures(app)  # tests also take ``ctx``: a refusal leaves a security event to clear


@pytest.mark.parametrize("code", sorted(TITLES))
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_each_error_has_a_translated_page(ctx, failing, code, lang):
    response = failing.test_client().get(f"/_test/abort/{code}", headers={"Accept-Language": lang})
    swedish, english = TITLES[code]
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert f'<html lang="{lang}">' in response.text
    assert f"<h1>{swedish if lang == 'sv' else english}</h1>" in response.text
    assert '<main id="main"' in response.text and 'href="/"' in response.text
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers


def test_a_crash_shows_the_500_page_without_details(ctx, failing):
    response = failing.test_client().get("/_test/crash")
    assert response.status_code == 500
    assert "Något gick fel" in response.text
    for leak in ("Traceback", "RuntimeError", "secret detail", "apps.py"):
        assert leak not in response.text


def test_other_codes_fall_back_to_a_general_page(ctx, failing):
    response = failing.test_client().get("/_test/abort/410", headers={"Accept-Language": "en"})
    assert response.status_code == 410
    assert "The request could not be handled" in response.text and "Error code: 410" in response.text
    response = failing.test_client().get("/_test/abort/503")
    assert response.status_code == 503 and "Något gick fel" in response.text


def test_405_keeps_the_allow_header(ctx):
    response = ctx.test_client().get("/sprak")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "Sidan kan inte användas på det sättet" in response.text


def test_a_real_oversized_upload_gets_the_413_page(ctx):
    client = ctx.test_client()
    token = csrf_token(client)
    body = {"lang": "en", "csrf_token": token, "file": "x" * (ctx.config["MAX_CONTENT_LENGTH"] + 1)}
    response = client.post("/sprak", data=body, headers={"Accept-Language": "en"})
    assert response.status_code == 413
    assert "What you sent is too large" in response.text and "4 MB" in response.text


def test_404_for_an_unknown_page(ctx):
    response = ctx.test_client().get("/finns-inte")
    assert response.status_code == 404 and "Sidan hittades inte" in response.text
