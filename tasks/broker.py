"""Builds the broker once, before any actor is declared (Dramatiq's implicit default is RabbitMQ).

``VARDFLODE_BROKER_URL=stub`` (the embedded default) gives an in-process StubBroker; a redis://
URL gives the RedisBroker. Crash recovery is tuned so a dead worker's messages come back within
seconds, not the library default of many minutes (SECURITY.md §4.1); timers do not depend on it
anyway, because the scheduler re-sends any wake-up that did not lead to a firing.
"""
from __future__ import annotations

import os

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


BROKER_URL = os.environ.get("VARDFLODE_BROKER_URL", "stub")
broker = build_broker(BROKER_URL)
dramatiq.set_broker(broker)
