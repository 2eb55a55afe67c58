"""What the actors and the scheduler run with, bound once per process at start-up.

``configure(settings)`` is called by ``create_app``, so the web processes, the worker
(``tasks.worker``), the scheduler and the commands all bind the same way: it makes the configured
broker current (before the views and the worker import the actors) and builds the notification
transports. Like Dramatiq's broker, the binding belongs to the process: outside the tests a
process runs one app, and there the last app created wins.
"""
from __future__ import annotations

from notify.transports import Transport, transports_from_config
from settings import Settings
from tasks import broker

_settings: Settings | None = None
_transports: dict[str, Transport] | None = None


def configure(settings: Settings) -> None:
    """Bind ``settings``: the broker, the resend intervals and the notification transports."""
    global _settings, _transports
    broker.configure(settings.broker_url)
    _settings, _transports = settings, transports_from_config(settings)


def settings() -> Settings:
    if _settings is None:
        raise RuntimeError("tasks are not configured: create the app first (create_app binds them)")
    return _settings


def transports() -> dict[str, Transport]:
    """The transport per channel, built once from the bound settings."""
    settings()  # the same clear error when nothing is bound
    return _transports
