"""The platform shows it is up: /healthz as JSON and a front page in Swedish."""
from __future__ import annotations


def test_healthz_reports_database_and_broker(ctx):
    response = ctx.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "broker": "in-process"}


def test_healthz_reports_an_unreachable_broker_and_stays_in_the_load_balancer(ctx):
    # Pages work without the broker (the outbox and the timer sweep catch up), so a load balancer
    # must not take the web tier out: 200, with the broker reported and the status "degraded".
    ctx.config["BROKER_URL"] = "redis://127.0.0.1:1/0"
    try:
        response = ctx.test_client().get("/healthz")
    finally:
        ctx.config["BROKER_URL"] = "stub"
    assert response.status_code == 200
    assert response.json == {"status": "degraded", "database": "ok", "broker": "unreachable"}


def test_liveness_touches_no_dependency(ctx):
    ctx.config["BROKER_URL"] = "redis://127.0.0.1:1/0"
    try:
        response = ctx.test_client().get("/healthz/live")
    finally:
        ctx.config["BROKER_URL"] = "stub"
    assert (response.status_code, response.json) == (200, {"status": "alive"})


def test_without_a_database_healthz_and_every_page_answer_503(tmp_path):
    from web import create_app
    unreachable = create_app(TESTING=True, SECRET_KEY="test", DATA_DIR=str(tmp_path),
                             SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none",
                             PROPAGATE_EXCEPTIONS=False)
    client = unreachable.test_client()
    health = client.get("/healthz")
    assert (health.status_code, health.json["status"], health.json["database"]) == (503, "unavailable", "unreachable")
    page = client.get("/logga-in/invanare")  # the development e-ID lists people from the database
    assert page.status_code == 503
    assert "Försök igen om några minuter" in page.text and page.headers["Retry-After"] == "60"


def test_front_page_is_swedish_and_sends_security_headers(ctx):
    response = ctx.test_client().get("/")
    assert response.status_code == 200
    assert '<html lang="sv">' in response.text
    assert "Välkommen till Vårdflöde" in response.text
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
