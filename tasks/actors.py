"""Actors take ids only (never health data) and are idempotent: a redelivered message is harmless."""
from __future__ import annotations

import dramatiq

from tasks import broker as _broker  # noqa: F401 - the broker must exist before any actor
import engine
from access import security_log
from engine.db import db
from community import reminders as community_reminders
from incidents import reminders as incident_reminders
from onboarding import reminders as onboarding_reminders
from support import notices as support_notices
from tasks import notify_actors
from tasks.transaction import one_commit


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
