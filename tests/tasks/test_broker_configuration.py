"""The broker comes from the settings at start-up: in a process of its own, the worker and the
scheduler have their actors on the broker VARDFLODE_BROKER_URL names. No Redis is contacted:
building a RedisBroker does not connect."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# The worker imports the actors after create_app; ``vardflode scheduler`` imports them before it
# (declared on the stand-in broker, then moved). Both end on the configured broker.
START_UPS = {
    "worker": "import tasks.worker",
    "scheduler": "from tasks import scheduler\nfrom web import create_app\ncreate_app()",
}
PROBE = """
import json, dramatiq
from tasks import broker as configured, scheduler
broker = dramatiq.get_broker()
print(json.dumps({"broker": type(broker).__name__, "is_current": broker is configured.current(),
                  "actors": sorted(broker.actors), "bound": all(a.broker is broker for a in broker.actors.values()),
                  "queues": sorted(broker.queues), "resend": scheduler.resend_after().total_seconds()}))
"""


@pytest.mark.parametrize("start_up", sorted(START_UPS))
def test_the_actors_are_declared_on_the_configured_broker(tmp_path, start_up):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VARDFLODE_")}
    env.update(VARDFLODE_DATA_DIR=str(tmp_path), VARDFLODE_BROKER_URL="redis://127.0.0.1:1/0",
               VARDFLODE_TIMER_RESEND_SECONDS="2")
    result = subprocess.run([sys.executable, "-c", START_UPS[start_up] + PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "broker": "RedisBroker", "is_current": True, "actors": ["book_meeting", "fire_timer", "purge_batch",
                                                                 "send_notification"],
        "bound": True, "queues": ["notifications", "purge", "timers", "video"], "resend": 2.0}


def test_configuring_the_same_url_again_keeps_the_broker(app):
    from tasks import broker
    before = broker.current()
    assert broker.configure(app.config["BROKER_URL"]) is before
