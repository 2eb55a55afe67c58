"""The Flask side of the configuration: ``app.config`` made from ``settings.Settings``.

The variables themselves are read and documented in the top-level ``settings`` package
(docs/CONFIGURATION.md); this module only turns them into Flask keys and adds Flask's own.
``create_app(**overrides)`` takes Flask keys: those that are settings (``DATA_DIR``,
``SQLALCHEMY_DATABASE_URI``, ``BROKER_URL``, ``SECRET_KEY``, …) override the environment,
the others (``TESTING``, ``PROPAGATE_EXCEPTIONS``, …) go into ``app.config`` as given.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

import settings as platform_settings
from settings import Settings

# Flask keys that name a setting under another name than its variable.
_FLASK_NAMES = {"SQLALCHEMY_DATABASE_URI": "DATABASE_URL", "ENV_NAME": "ENV"}
_SETTINGS_NAMES = {v.name for v in platform_settings.VARIABLES}


def split(overrides: dict) -> tuple[dict, dict]:
    """Overrides of settings (by variable name) and the remaining Flask keys."""
    chosen, flask = {}, {}
    for key, value in overrides.items():
        name = _FLASK_NAMES.get(key, key)
        if name in _SETTINGS_NAMES:
            chosen[name] = value
        else:
            flask[key] = value
    return chosen, flask


def flask_config(settings: Settings, **flask_overrides) -> dict:
    """``app.config`` for ``settings``, creating the data folder (and its development key)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    config = {
        "ENV_NAME": settings.env,
        "DATA_DIR": str(settings.data_dir),
        "SECRET_KEY": settings.secret_key or _development_secret(settings.data_dir),
        "STAFF_AUTH": settings.staff_auth,
        "RESIDENT_EID": settings.resident_eid,
        "SQLALCHEMY_DATABASE_URI": settings.database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "BROKER_URL": settings.broker_url,
        "PUBLIC_URL": settings.public_url,
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        "SESSION_COOKIE_SECURE": settings.production,
        # Flask's own cookie (it holds the CSRF secret): __Host- wherever it is Secure.
        "SESSION_COOKIE_NAME": "__Host-session" if settings.production else "session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }
    config.update(flask_overrides)
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Wait for the writer instead of failing at once; SQLite has one writer at a time.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    return config


def from_environment(**overrides) -> dict:
    """``app.config`` from the environment and ``overrides`` (Flask keys)."""
    chosen, flask = split(overrides)
    return flask_config(platform_settings.from_environment(**chosen), **flask)


def _development_secret(data_dir: Path) -> str:
    """Outside production, a key kept in the data folder, so every process of one installation
    (web workers, the worker) signs with the same key and restarts keep people signed in."""
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def pdl_key(settings: Settings, secret_key: str) -> bytes:
    """The PDL chain's key: VARDFLODE_PDL_KEY (production refuses to start without it); elsewhere
    one derived from the secret key, so a development installation needs nothing more and every
    process of it shares the key. Derived, not the secret key itself, so the two never coincide."""
    if settings.pdl_key:
        return settings.pdl_key.encode("utf-8")
    return hmac.new(secret_key.encode("utf-8"), b"vardflode development pdl key", hashlib.sha256).digest()
