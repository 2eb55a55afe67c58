"""Configuration from the environment. Every variable the platform reads is listed here.

VARDFLODE_DATABASE_URL  SQLAlchemy URL; default a SQLite file in VARDFLODE_DATA_DIR
VARDFLODE_DATA_DIR      folder for the embedded default's files (default ./instance)
VARDFLODE_BROKER_URL    redis://host:port/db for Dramatiq, or "stub" for the in-process worker
VARDFLODE_SECRET_KEY    session signing key (required when VARDFLODE_ENV=production)
VARDFLODE_ENV           "development" (default) or "production"
VARDFLODE_STAFF_AUTH    staff sign-in provider: "password_totp" (default; stands in for SITHS)
VARDFLODE_RESIDENT_EID  resident e-ID provider: "development" (test identities; refused in production)
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def database_url(data_dir: str | os.PathLike) -> str:
    url = os.environ.get("VARDFLODE_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    return f"sqlite:///{Path(data_dir).resolve() / 'vardflode.sqlite3'}"


def _development_secret(data_dir: Path) -> str:
    """Outside production, a key kept in the data folder, so every process of one installation
    (web workers, the worker) signs with the same key and restarts keep people signed in."""
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def from_environment(**overrides) -> dict:
    data_dir = overrides.pop("DATA_DIR", None) or os.environ.get("VARDFLODE_DATA_DIR", "instance")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    env = os.environ.get("VARDFLODE_ENV", "development")
    secret = os.environ.get("VARDFLODE_SECRET_KEY")
    if env == "production" and not secret:
        raise RuntimeError("VARDFLODE_SECRET_KEY must be set in production")
    config = {
        "ENV_NAME": env,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": secret or _development_secret(Path(data_dir)),
        "STAFF_AUTH": os.environ.get("VARDFLODE_STAFF_AUTH", "password_totp"),
        "RESIDENT_EID": os.environ.get("VARDFLODE_RESIDENT_EID", "development"),
        "SQLALCHEMY_DATABASE_URI": database_url(data_dir),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "BROKER_URL": os.environ.get("VARDFLODE_BROKER_URL", "stub"),
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        "SESSION_COOKIE_SECURE": env == "production",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }
    config.update(overrides)
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Wait for the writer instead of failing at once; SQLite has one writer at a time.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    return config
