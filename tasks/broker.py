"""Dramatiq's broker: a stand-in from import, the configured one from start-up.

Dramatiq binds an actor to the broker that is current when its module is imported
(``dramatiq.actor`` calls ``get_broker()``, whose implicit default is RabbitMQ). So this module
sets an in-process StubBroker at import, which lets the actor modules be imported anywhere (a
view, a test, a command) without configuration. ``configure(url)`` runs at start-up
(``tasks.config.configure``, called by ``create_app``): ``stub`` keeps that StubBroker (the
embedded default and the tests), a redis:// URL replaces it with a RedisBroker and moves the
actors declared so far onto it; actors declared later find it through ``get_broker()``.

Crash recovery is tuned so a dead worker's messages come back within seconds, not the library
default of many minutes (SECURITY.md §4.1); timers do not depend on it anyway, because the
scheduler re-sends any wake-up that did not lead to a firing.
"""
from __future__ import annotations

import dramatiq
from dramatiq.brokers.stub import StubBroker


def build_broker(url: str) -> dramatiq.Broker:
    if url == "stub":
        broker = StubBroker()
        broker.emit_after("process_boot")
        return broker
    from dramatiq.brokers.redis import RedisBroker
    return RedisBroker(url=url, heartbeat_timeout=15_000, maintenance_chance=10_000,
                       dead_message_ttl=7 * 24 * 3600 * 1000)


def configure(url: str) -> dramatiq.Broker:
    """Make the broker for ``url`` current, unless it already is; returns it."""
    global broker, BROKER_URL
    if url == BROKER_URL:  # a second app in one process (tests, commands) keeps the broker
        return broker
    configured = build_broker(url)
    for actor in list(broker.actors.values()):
        actor.broker = configured
        configured.declare_actor(actor)
    broker, BROKER_URL = configured, url
    dramatiq.set_broker(configured)
    return configured


def current() -> dramatiq.Broker:
    """The broker the actors are declared on (read it at call time: ``configure`` replaces it)."""
    return broker


BROKER_URL = "stub"
broker = build_broker(BROKER_URL)
dramatiq.set_broker(broker)
