"""The Flask app factory. Extensions are created unbound elsewhere and bound here."""
from __future__ import annotations

from flask import Flask

from engine.db import db
from web import config as web_config


def create_app(**overrides) -> Flask:
    app = Flask(__name__)
    app.config.update(web_config.from_environment(**overrides))
    db.init_app(app)
    _install_sqlite_pragmas(app)
    from web.migrations import migrate
    migrate.init_app(app, db, directory=str(web_config_migrations_dir()))
    from web import health, home
    app.register_blueprint(health.bp)
    app.register_blueprint(home.bp)
    from web.security_headers import install
    install(app)
    return app


def web_config_migrations_dir():
    from pathlib import Path
    return Path(__file__).resolve().parent / "migrations_alembic"


def _install_sqlite_pragmas(app: Flask) -> None:
    """WAL lets readers work while one writer commits; foreign keys are off by default in SQLite."""
    from sqlalchemy import event
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
