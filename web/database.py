"""Schema management: Alembic migrations for real databases."""
from __future__ import annotations

import flask_migrate


def upgrade(app) -> None:
    with app.app_context():
        flask_migrate.upgrade(directory=app.extensions["migrate"].directory)
