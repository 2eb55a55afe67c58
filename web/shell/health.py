"""Health for load balancers and operators: liveness apart from readiness. JSON, no secrets.

``/healthz/live`` says the process answers; it touches nothing, so a slow database never gets a
working web process restarted. ``/healthz`` reports each dependency and answers 503 only when
requests cannot be served: the database is the one thing every page needs. A broker that is down
delays notifications and timer wake-ups (the outbox and the scheduler's sweep catch up), but the
pages still work, so the web tier must stay in the load balancer: 200 with ``"degraded"``.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from engine.db import db

bp = Blueprint("health", __name__)


@bp.get("/healthz/live")
def live():
    return jsonify({"status": "alive"})


@bp.get("/healthz")
def healthz():
    database = _check(lambda: db.session.execute(text("SELECT 1")).scalar() == 1)
    broker = _broker_status()
    if database != "ok":
        status = "unavailable"
    else:
        status = "ok" if broker in ("ok", "in-process") else "degraded"
    body = {"status": status, "database": database, "broker": broker}
    return jsonify(body), 503 if status == "unavailable" else 200


def _check(probe) -> str:
    try:
        return "ok" if probe() else "error"
    except Exception:  # health must answer, whatever the failure is
        return "unreachable"


def _broker_status() -> str:
    url = current_app.config["BROKER_URL"]
    if url == "stub":
        return "in-process"
    import redis
    return _check(lambda: redis.Redis.from_url(url, socket_timeout=1).ping())
