"""GET /healthz: is the database reachable, is the broker reachable. JSON, no secrets."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from engine.db import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    database = _check(lambda: db.session.execute(text("SELECT 1")).scalar() == 1)
    broker = _broker_status()
    healthy = database == "ok" and broker in ("ok", "in-process")
    body = {"status": "ok" if healthy else "degraded", "database": database, "broker": broker}
    return jsonify(body), 200 if healthy else 503


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
