"""Composition root for ``dramatiq tasks.worker``: builds the app and binds actors to it.

``create_app`` reads the settings and makes the configured broker current (tasks.config), so
the actors imported below, and the broker the Dramatiq command line asks ``get_broker()`` for
after importing this module, are the configured ones.
"""
from __future__ import annotations

from tasks import broker as _broker
from tasks.middleware import AppContextMiddleware
from web import create_app

app = create_app()
broker = _broker.current()
broker.add_middleware(AppContextMiddleware(app))

from tasks import actors, notify_actors, video_actors  # noqa: E402,F401 - declares the actors on this broker
