"""The platform shows it is up: /healthz as JSON and a front page in Swedish."""
from __future__ import annotations


def test_healthz_reports_database_and_broker(ctx):
    response = ctx.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "broker": "in-process"}


def test_healthz_reports_an_unreachable_broker(ctx):
    ctx.config["BROKER_URL"] = "redis://127.0.0.1:1/0"
    try:
        response = ctx.test_client().get("/healthz")
    finally:
        ctx.config["BROKER_URL"] = "stub"
    assert response.status_code == 503
    assert response.json["broker"] == "unreachable"


def test_front_page_is_swedish_and_sends_security_headers(ctx):
    response = ctx.test_client().get("/")
    assert response.status_code == 200
    assert '<html lang="sv">' in response.text
    assert "Vårdflöde är igång" in response.text
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
