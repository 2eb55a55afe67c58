"""``clock.private()``: a thread's own clock for a simulation run inside a request; the process's
clock (which the request and every other thread read) is never moved."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from engine import clock

REQUEST_TIME = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
SIMULATED = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)


def test_a_private_clock_moves_alone_and_the_process_clock_is_back_afterwards():
    clock.freeze(REQUEST_TIME)
    clock.set_demo_offset(timedelta(days=3))
    seen_elsewhere = []
    try:
        with clock.private():
            assert clock.demo_offset() == timedelta(0)
            clock.freeze(SIMULATED)
            clock.advance(timedelta(days=14))
            assert clock.now() == SIMULATED + timedelta(days=14)
            other = threading.Thread(target=lambda: seen_elsewhere.append(clock.now()))
            other.start()
            other.join()
            clock.reset()  # what the simulation does at its end: resets only its own clock
            assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(seconds=5)
        assert seen_elsewhere == [REQUEST_TIME + timedelta(days=3)]
        assert clock.wall() == REQUEST_TIME and clock.now() == REQUEST_TIME + timedelta(days=3)
    finally:
        clock.reset()
    assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(seconds=5)
