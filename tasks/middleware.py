"""Runs each message inside a Flask app context and hands back its database session after."""
from __future__ import annotations

import dramatiq


class AppContextMiddleware(dramatiq.Middleware):
    def __init__(self, app):
        self.app = app
        self._contexts = {}

    def before_process_message(self, broker, message):
        context = self.app.app_context()
        context.push()
        self._contexts[message.message_id] = context

    def after_process_message(self, broker, message, *, result=None, exception=None):
        self._finish(message)

    def after_skip_message(self, broker, message):
        self._finish(message)

    def _finish(self, message):
        context = self._contexts.pop(message.message_id, None)
        if context is None:
            return
        from engine.db import db
        db.session.remove()
        context.pop()
