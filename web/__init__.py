"""The Flask app factory. Extensions are created unbound elsewhere and bound here."""
from __future__ import annotations

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
    db.init_app(app)
    _install_sqlite_pragmas(app)
    from web.migrations import migrate
    migrate.init_app(app, db, directory=str(web_config_migrations_dir()))
    from web.shell import csrf
    from web.shell import errors
    from web.shell import health
    from web.shell import home
    from web.shell import i18n
    from web.shell import navigation
    from web.shell import security_headers
    from web.shell import auth
    from web.shell import session_hook
    from web.shell import inputs, transaction
    from access.providers import configure as configure_sign_in
    staff_provider, resident_provider = configure_sign_in(app.config)
    app.extensions["vardflode_auth"] = _SignIn(staff_provider, resident_provider)
    transaction.install(app)  # before any other after_request: Flask runs them last-installed first
    session_hook.install(app)  # first before_request: every later hook and view sees g.principal
    inputs.install(app)  # runs before even the session hook: no control character reaches the database
    app.register_blueprint(health.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(auth.bp)
    from web.admin import organisation as admin
    from web.clinic import residents as clinic
    from web.design import screens as design
    from web.logs import search as logs
    from web.clinic import messages
    from web.resident import programs as resident
    from web.clinic import start_program
    from web.admin import statistics
    from web.clinic import tasks as work
    for screens in (clinic, admin, logs, resident, design, work, start_program, statistics, messages):
        app.register_blueprint(screens.bp)
    from web.admin import catalogue as catalogue_screens  # programs in use (R16, R25)
    from web.resident import open_programs
    app.register_blueprint(catalogue_screens.bp)
    app.register_blueprint(open_programs.bp)
    from web.resident import contact as resident_contact  # where notifications go
    app.register_blueprint(resident_contact.bp)
    from web.resident import messages as resident_messages, tasks as resident_tasks
    app.register_blueprint(resident_tasks.bp)
    app.register_blueprint(resident_messages.bp)
    from web.clinic import program_actions  # pause, resume, end, hand over, change the responsible clinician
    app.register_blueprint(program_actions.bp)
    from web.programs import media as program_media  # pictures of program packages, shown on module pages
    app.register_blueprint(program_media.bp)
    from web.resident import blocks as resident_blocks  # spärr (PDL 4 kap.)
    app.register_blueprint(resident_blocks.bp)
    from web.clinic import emergency  # the spärr page and emergency access (nödåtkomst)
    app.register_blueprint(emergency.bp)
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
