"""Actors take ids only (never health data) and are idempotent: a redelivered message is harmless."""
from __future__ import annotations

import time

import dramatiq

from tasks import broker as _broker  # noqa: F401 - the broker must exist before any actor
import engine
from access import security_log
from engine.db import db
from community import reminders as community_reminders
from incidents import reminders as incident_reminders
from onboarding import reminders as onboarding_reminders
from purging import process as purge_process, purge as purge_steps
from support import notices as support_notices
from tasks import after_commit, config, notify_actors
from tasks.transaction import one_commit

PURGE_QUEUE = "purge"  # its own queue: a long purge never delays timers or notifications


@dramatiq.actor(queue_name="timers", max_retries=10, min_backoff=500, max_backoff=30_000,
                time_limit=120_000)
@one_commit
def fire_timer(timer_id: int) -> None:
    """Fire one timer under its instance lock; the database says whether it is still due."""
    try:
        outcome = engine.fire_timer(timer_id)
    except engine.TaskConflict:
        # Someone else advanced the instance at the same moment; the scheduler sends again
        # if the timer is still waiting, so there is nothing to retry here.
        db.session.rollback()
        return
    except engine.VersionRefused as refused:
        # The instance is in incident now (kept by the commit); retrying cannot help.
        security_log.event("version_refused", "denied", actor_type="system", subject=refused.content_hash,
                           detail=refused.reason)
        return
    if outcome is not None:  # a step that opened for a resident is announced (no health data)
        notify_actors.announce_new_tasks(outcome)
        # An incident's passed deadline (R58) reminds whoever it waits for; other instances: nothing.
        notify_actors.send_after_commit(incident_reminders.after_timer(outcome.instance_id))
        # an onboarding case's reminder or escalation timer tells whoever must act
        notify_actors.send_after_commit(onboarding_reminders.enqueue_for(outcome.instance_id))
        # a support case nobody took on in time reminds whoever has it now
        notify_actors.send_after_commit(support_notices.after_timer(outcome.instance_id))
        # a training or implementation-support request that waited too long reminds national management
        notify_actors.send_after_commit(community_reminders.after_timer(outcome.instance_id))
        # a purge run's night has come: it lists what will go, and its batches start after this commit
        send_batches_after_commit(purge_process.after_timer(outcome.instance_id))


@dramatiq.actor(queue_name=PURGE_QUEUE, max_retries=10, min_backoff=1_000, max_backoff=60_000,
                time_limit=300_000)
@one_commit
def purge_batch(run_id: str) -> None:
    """One batch of one purge run, one transaction (docs/PURGING.md): the next batch is sent
    after this commit, so no row is held longer than one batch. The last one finishes the run
    (PDL retention, the report) and tells the run's process. A redelivered batch is harmless: the
    run row is locked, and a purged program is never purged again."""
    started = time.perf_counter()
    run = purge_steps.locked_run(run_id)
    if run is None or run.state != "purging":
        return
    if purge_steps.purge_batch(run, config.settings().purge_batch):
        # paced: the next batch waits twice as long as this one took (purging.purge.PACE)
        rest = purge_steps.rest_after(time.perf_counter() - started)
        send_batches_after_commit([run.id], delay_ms=int(rest * 1000))
    else:
        purge_process.finish_run(run, config.settings().pdl_retention_years)


def send_batches_after_commit(run_ids: list[str], delay_ms: int = 0) -> None:
    """Send a batch wake-up per run once the current transaction commits (ids only; none on
    rollback). A lost one is sent again by the scheduler's hourly ``plan_purges``."""
    for run_id in run_ids:
        after_commit.send_after_commit(
            lambda run_id=run_id: purge_batch.send_with_options(args=(run_id,), delay=delay_ms or None),
            f"purge batch of run {run_id}")


def plan_purges() -> int:
    """Plan a purge run for every active care provider that has none, and send the next batch of
    every run that is purging again (lost wake-ups); the caller commits. Returns runs planned."""
    planned, purging = purge_process.ensure_planned()
    send_batches_after_commit(purging)
    return len(planned)
