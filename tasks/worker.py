"""Composition root for ``dramatiq tasks.worker``: builds the app and binds actors to it."""
from __future__ import annotations

from tasks.broker import broker
from tasks.middleware import AppContextMiddleware
from web import create_app

app = create_app()
broker.add_middleware(AppContextMiddleware(app))

from tasks import actors, notify_actors  # noqa: E402,F401 - declares the actors on this broker
