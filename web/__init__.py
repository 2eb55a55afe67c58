"""The Flask app factory. Extensions are created unbound elsewhere and bound here."""
from __future__ import annotations

from importlib import import_module

from flask import Flask

import designer_functions
import settings as platform_settings
from engine.db import db
from tasks import config as tasks_config
from web import config as web_config


def create_app(**overrides) -> Flask:
    """The app, with the settings read once from the environment; ``overrides`` are Flask keys
    (web/config.py), settings among them override their variables."""
    chosen, flask_keys = web_config.split(overrides)
    settings = platform_settings.from_environment(**chosen)
    app = Flask(__name__, template_folder="shell/templates")  # base.html; each audience keeps its own
    app.config.update(web_config.flask_config(settings, **flask_keys))
    app.extensions["vardflode_settings"] = settings
    designer_functions.install()  # before any package is checked: designers' expressions may call them
    tasks_config.configure(settings)  # the broker first: the views below import the actors
    from access import pdl
    pdl.configure(web_config.pdl_key(settings, app.config["SECRET_KEY"]), settings.pdl_anchor_dir)
    import engine
    from video import booking as video_booking, config as video_config
    video_config.configure(settings.video_vendor_url, settings.video_callback_secret)
    engine.on_meeting_opened(video_booking.open_meeting)  # a meeting step that opens is booked (docs/VIDEO.md)
    db.init_app(app)
    _install_sqlite_pragmas(app)
    from web.migrations import migrate
    migrate.init_app(app, db, directory=str(web_config_migrations_dir()))
    from web.shell import csrf, errors, i18n, inputs, navigation, security_headers, session_hook, transaction
    from web.shell import upload_limits
    upload_limits.install(app)  # a design package may be larger than MAX_CONTENT_LENGTH; nothing else
    from access.providers import configure as configure_sign_in
    staff_provider, resident_provider = configure_sign_in(app.config)
    app.extensions["vardflode_auth"] = _SignIn(staff_provider, resident_provider)
    transaction.install(app)  # before any other after_request: Flask runs them last-installed first
    session_hook.install(app)  # first before_request: every later hook and view sees g.principal
    from web.shell import democlock
    democlock.install(app)  # the demo's moved clock, before any view reads the time
    inputs.install(app)  # runs before even the session hook: no control character reaches the database
    from web import admin, clinic, community, design, incidents, logs, onboarding, programs, resident, shell, support, video
    for audience in (shell, clinic, resident, admin, logs, design, programs, incidents, onboarding, video, support, community):
        for screen in audience.SCREENS:  # each audience lists its modules with a blueprint
            app.register_blueprint(import_module(f"{audience.__name__}.{screen}").bp)
    # The web shell: languages, CSRF on every state-changing request, the header's navigation,
    # translated error pages and the security headers (SECURITY.md §5).
    i18n.install(app)
    csrf.install(app)
    navigation.install(app)
    errors.install(app)
    security_headers.install(app)
    return app


class _SignIn:
    def __init__(self, staff, resident):
        self.staff, self.resident = staff, resident


def web_config_migrations_dir():
    from pathlib import Path
    return Path(__file__).resolve().parents[1] / "migrations"


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
