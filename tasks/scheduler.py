"""The timer scheduler: sends a wake-up for each due timer. The database is the source of truth.

It polls the indexed ``timer.due_at`` column often (default every 0.1 s) so a timer fires within
a fraction of a second of its due time, and re-sends wake-ups that did not lead to a firing, so a
flushed Redis or a killed worker loses nothing.

Run two or more: schedulers are active-active, with no leader, lease or advisory lock. Each sweep
claims due timers with one atomic UPDATE ... RETURNING (engine.claim_due_timers), so every due
timer is claimed, and sent, by exactly one scheduler, and the others simply find nothing left.
There is nothing to fail over: when one scheduler dies the others go on at their next sweep
(0.1 s). All it costs is the timers the dead one had claimed in its last milliseconds and not yet
sent; they are re-sent after the resend interval (VARDFLODE_TIMER_RESEND_SECONDS).

It also writes the PDL log's signed checkpoint every VARDFLODE_PDL_CHECKPOINT_SECONDS
(access/pdl_anchor.py): schedulers always run. With two, both append (each line is signed on
its own), which only makes the anchor denser.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

import engine
from access import pdl
from engine.db import db
from tasks import config, notify_actors, video_actors
from tasks.actors import fire_timer, plan_purges

log = logging.getLogger("vardflode.scheduler")
PURGE_PLAN_SECONDS = 3600  # how often every active care provider is checked for a planned purge run


def resend_after() -> timedelta:
    """How long a wake-up may go without a firing before it is sent again (lost in Redis, or its
    worker died): VARDFLODE_TIMER_RESEND_SECONDS. Firing is idempotent, so sending too often only
    costs a little work."""
    return config.settings().timer_resend


def sweep_once(horizon: timedelta = timedelta(0)) -> int:
    """Claim the due timers, commit the claim, then send one wake-up each (ids only). Only the
    timers this sweep claimed are sent, so schedulers running side by side send each once.
    In the demo (VARDFLODE_DEMO_CLOCK) the clock moved on the web is loaded first."""
    if config.settings().demo_clock:
        engine.democlock.sync()
    claimed = engine.claim_due_timers(horizon, resend_after())
    db.session.commit()
    now = engine.clock.now()
    for timer_id, due_at in claimed:
        delay_ms = max(0, int((due_at - now).total_seconds() * 1000))
        fire_timer.send_with_options(args=(timer_id,), delay=delay_ms or None)
    return len(claimed)


def run(app, stop: threading.Event | None = None, interval: float = 0.1) -> None:
    """Loop until ``stop`` is set. Broker or database outages are logged and retried."""
    stop = stop or threading.Event()
    last_checkpoint = last_purge_plan = None
    while not stop.is_set():
        with app.app_context():
            last_checkpoint = pdl.checkpoint_when_due(config.settings().pdl_checkpoint.total_seconds(), last_checkpoint)
            last_purge_plan = purge_plan_when_due(last_purge_plan)
            try:
                sent = sweep_once()
                sent += notify_actors.sweep_outbox()
                sent += video_actors.sweep_meetings()  # meetings to book, also while the vendor is down
            except Exception:  # keep scheduling through outages; the rows are still there
                log.exception("timer sweep failed; retrying")
                db.session.rollback()
                sent = 0
            finally:
                db.session.remove()
        if not sent:
            stop.wait(interval)


def purge_plan_when_due(last_at: float | None) -> float | None:
    """Every hour (and at start): every active care provider gets its nightly purge run planned
    (docs/PURGING.md). A failure is logged and tried again at the next hour."""
    now = time.monotonic()
    if last_at is not None and now - last_at < PURGE_PLAN_SECONDS:
        return last_at
    try:
        plan_purges()
        db.session.commit()
    except Exception:  # the scheduler goes on; the next hour tries again
        log.exception("planning purge runs failed; trying again in an hour")
        db.session.rollback()
    return now


def start_thread(app, interval: float = 0.1) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(app, stop, interval), name="timer-scheduler", daemon=True)
    thread.start()
    return thread, stop


def main(app) -> None:
    logging.basicConfig(level=logging.INFO)
    log.info("timer scheduler started")
    run(app)  # Ctrl+C ends it; the command line turns that into exit code 130
