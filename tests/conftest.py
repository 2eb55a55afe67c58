"""Shared fixtures: a real database (SQLite by default, PostgreSQL when
VARDFLODE_TEST_DATABASE_URL says so), created through the Alembic migrations, emptied after
each test, and the engine clock reset."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

import engine
from engine.db import db

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
POSTGRES = os.environ.get("VARDFLODE_TEST_DATABASE_URL", "").startswith("postgresql")


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("VARDFLODE_TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_dir / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    from web import create_app
    from web.database import upgrade
    data_dir = tmp_path_factory.mktemp("data")
    url = _database_url(data_dir)
    application = create_app(DATA_DIR=str(data_dir), SQLALCHEMY_DATABASE_URI=url, BROKER_URL="stub",
                             TESTING=True)
    with application.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
    upgrade(application)
    application.before_request(_forget_other_clients_csrf_token)
    return application


def _forget_other_clients_csrf_token():
    """Tests keep one app context open around many requests, so Flask shares ``g`` between them
    (in production every request has its own). Flask-WTF caches the CSRF token in ``g``; drop it
    so each test client gets the token of its own session."""
    from flask import g
    g.pop("csrf_token", None)


@pytest.fixture()
def ctx(app):
    """An app context with a clean database and the real clock afterwards."""
    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()
        empty_all_tables()
        db.session.remove()
    engine.clock.reset()


@pytest.fixture()
def publish(ctx):
    """Check and store a package folder (or dict of files); returns the version hash."""
    def _publish(source) -> str:
        files = source if isinstance(source, dict) else engine.read_paths([source])
        files = {k: (v.encode() if isinstance(v, str) else v) for k, v in files.items()}
        import forms
        version = engine.store_version(engine.check_package(files, builtin_forms=forms.builtin_form_names()))
        db.session.commit()
        return version.content_hash
    return _publish


def empty_all_tables() -> None:
    """Delete every row; the PDL log only lets go while the purge switch is on. Its checkpoints go
    too: they would report the emptied log as entries removed."""
    from access import pdl
    from access.records import PdlPurgeSwitch
    pdl.anchor_file().unlink(missing_ok=True)
    db.session.add(PdlPurgeSwitch(id=999_999, allow=1))
    db.session.flush()
    switch = PdlPurgeSwitch.__table__
    for table in reversed(db.metadata.sorted_tables):
        if table is not switch:
            db.session.execute(table.delete())
    db.session.execute(switch.delete())
    db.session.commit()


def actor(actor_id: str, role: str, unit: str | None = "u1") -> engine.Actor:
    return engine.Actor(actor_id, frozenset({(role, unit)}))
