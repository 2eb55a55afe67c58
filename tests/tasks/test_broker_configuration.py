"""The broker comes from the settings at start-up: the worker's composition root, in a process of
its own, declares the actors on the broker VARDFLODE_BROKER_URL names. No Redis is contacted:
building a RedisBroker does not connect."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import json, dramatiq
import tasks.worker as worker
from tasks import scheduler
broker = dramatiq.get_broker()
print(json.dumps({"broker": type(broker).__name__, "is_the_workers": broker is worker.broker,
                  "actors": sorted(broker.actors), "bound": all(a.broker is broker for a in broker.actors.values()),
                  "queues": sorted(broker.queues), "resend": scheduler.resend_after().total_seconds()}))
"""


def test_the_worker_declares_its_actors_on_the_configured_broker(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VARDFLODE_")}
    env.update(VARDFLODE_DATA_DIR=str(tmp_path), VARDFLODE_BROKER_URL="redis://127.0.0.1:1/0",
               VARDFLODE_TIMER_RESEND_SECONDS="2")
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "broker": "RedisBroker", "is_the_workers": True, "actors": ["fire_timer", "send_notification"],
        "bound": True, "queues": ["notifications", "timers"], "resend": 2.0}


def test_configuring_the_same_url_again_keeps_the_broker(app):
    from tasks import broker
    before = broker.current()
    assert broker.configure(app.config["BROKER_URL"]) is before
