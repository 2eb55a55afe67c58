"""Security headers and cookies (SECURITY.md §5): strict CSP, no caching of anything but static files."""
from __future__ import annotations

import pytest

from tests.web.pages import post_form
from web import config as web_config


def directives(response) -> dict:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_the_policy_is_strict(ctx):
    response = ctx.test_client().get("/")
    csp = directives(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/", "/healthz", "/finns-inte", "/static/../healthz"])
def test_nothing_but_static_files_is_cached(ctx, path):
    assert ctx.test_client().get(path).headers["Cache-Control"] == "no-store"


def test_error_and_redirect_responses_are_not_cached_either(ctx):
    client = ctx.test_client()
    assert client.post("/sprak").headers["Cache-Control"] == "no-store"
    assert post_form(client, "/sprak", {"lang": "en"}).headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached_but_carry_the_other_headers(ctx):
    response = ctx.test_client().get("/static/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_hsts_only_in_production(ctx):
    client = ctx.test_client()
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    ctx.config["ENV_NAME"] = "production"
    try:
        hsts = client.get("/healthz").headers["Strict-Transport-Security"]
    finally:
        ctx.config["ENV_NAME"] = "development"
    assert "max-age=31536000" in hsts


def test_the_session_cookie_is_httponly_and_lax(ctx):
    cookie = ctx.test_client().get("/").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # development runs on plain http


def test_production_cookies_are_secure(tmp_path, monkeypatch):
    monkeypatch.setenv("VARDFLODE_ENV", "production")
    monkeypatch.setenv("VARDFLODE_SECRET_KEY", "x" * 64)
    monkeypatch.setenv("VARDFLODE_PDL_KEY", "p" * 32)
    monkeypatch.setenv("VARDFLODE_DATABASE_URL", "postgresql://vardflode@db/vardflode")
    monkeypatch.setenv("VARDFLODE_BROKER_URL", "redis://redis:6379/0")
    monkeypatch.setenv("VARDFLODE_RESIDENT_EID", "bankid")
    monkeypatch.setenv("VARDFLODE_PUBLIC_URL", "https://vardflode.region.se")
    config = web_config.from_environment(DATA_DIR=str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is True and config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["SESSION_COOKIE_HTTPONLY"] is True and config["SESSION_COOKIE_SAMESITE"] == "Lax"
