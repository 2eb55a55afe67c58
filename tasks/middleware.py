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
        from tasks import config
        if config.settings().demo_clock:  # the demo's moved clock, as the web and scheduler see it
            import engine
            engine.democlock.sync()
            from engine.db import db
            db.session.remove()  # the read's transaction must not hold the message's snapshot

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
