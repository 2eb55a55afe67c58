"""The clinician's verbs on a whole program instance: pause it into a maintenance phase, resume
it, end it early, hand it over to another unit, change the responsible clinician.

Each locks the instance, changes it, records one history event (the kind, and at most a code or
an id as detail – never free text or health data), keeps the index tables right and flushes; the
caller commits. Who may do this was decided by ``access.policy``; the engine checks the role on
the instance's unit again, as it does when a task is completed.

A paused instance holds no timer rows: nothing is due in the maintenance phase, so the scheduler
has nothing to claim (and nothing to re-send forever). Its state still has the timers; resuming
saves it through the normal index sync, which puts them back, after firing every timer that came
due during the pause at once – the program's schedule is not shifted by the length of the pause.
"""
from __future__ import annotations

from sqlalchemy import delete, insert, update

from engine import clock, instances, platform_tasks, rows
from engine.db import db
from engine.errors import Forbidden, InvalidTaskData, TaskConflict, VersionRefused
from engine.identity import Actor
from engine.models import EventWait, HumanTask, InstanceEvent, Timer
from engine.operations import Outcome, outcome_of
from engine.rows import InstanceRow

# Why a clinician ends a program early; the codes are stored, the screens translate them.
END_REASONS = ("completed_early", "resident_request", "referred", "no_contact", "other")
# Not finished: these can be handed over, given a new clinician, or ended.
OPEN_STATUSES = ("running", "paused", "incident")


def pause(instance_id: str, actor: Actor) -> None:
    """Into the maintenance phase: no timer fires and no step can be done until ``resume``."""
    instance = _locked(instance_id, actor, ("running",), "only a running program can be paused")
    instance.status = "paused"
    # The state keeps its timers; only the index rows go, so nothing is claimed while paused.
    instance.index_keys = {**(instance.index_keys or {}), "t": {}}
    _write(instance, "paused", actor)
    db.session.execute(delete(Timer).where(Timer.instance_id == instance.id))


def resume(instance_id: str, actor: Actor) -> Outcome:
    """Back to running. Timers that came due during the pause fire now, in this call; the
    Outcome names the steps that opened, so the caller can tell the resident."""
    instance = _locked(instance_id, actor, ("paused",), "only a paused program can be resumed")
    instance.status = "running"
    with instances.own_clock(instance):
        run = instances.open_run(instance, actor.id)
        run.record("resumed", actor_id=actor.id)
        instances.advance(run)
        instances.save(run)  # the index sync puts the remaining timers back
    return outcome_of(run)


def end(instance_id: str, actor: Actor, reason_code: str) -> None:
    """End the program early: the workflow is cancelled and every open step and wait goes."""
    if reason_code not in END_REASONS:
        raise InvalidTaskData(f"'{reason_code}' is not a reason for ending a program")
    instance = _locked(instance_id, actor, OPEN_STATUSES, "the program has already finished")
    try:
        run = instances.open_run(instance, actor.id)
    except VersionRefused:
        _end_without_workflow(instance, actor, reason_code)
        return
    run.workflow.cancel()
    run.record("ended", detail=reason_code, actor_id=actor.id)
    platform_tasks.remove(instance.id)  # not the index sync's: nothing is left to take over
    # Nothing is ready or waiting any more: the index sync removes every row. An ending chosen by
    # the clinician is a status of its own, not the "cancelled" of a process that ran that way.
    instances.save(run, ended_as="ended")


def _end_without_workflow(instance: InstanceRow, actor: Actor, reason_code: str) -> None:
    """A refused version cannot be loaded, but its instance can still be ended: its state is kept
    as it was (for the investigation) and every open step, timer and wait goes."""
    instance.status, instance.ended_at = "ended", clock.now()
    instance.index_keys = {}
    for table in (HumanTask, Timer, EventWait):
        db.session.execute(delete(table).where(table.instance_id == instance.id))
    _write(instance, "ended", actor, detail=reason_code)


def hand_over(instance_id: str, actor: Actor, to_unit_id: str, new_owner_id: str | None = None) -> None:
    """Move the instance and its open steps to another unit. The clinician's steps go to
    ``new_owner_id``, or to anyone with the role on the new unit when None. The new unit gets a
    platform task "new resident handed over" (``engine.platform_tasks``) to take the resident over."""
    instance = _locked(instance_id, actor, OPEN_STATUSES, "a finished program cannot be handed over")
    if not to_unit_id or to_unit_id == instance.unit_id:
        raise InvalidTaskData("hand over to another unit")
    instance.unit_id, instance.owner_id = to_unit_id, new_owner_id
    _write(instance, "handed_over", actor, detail=to_unit_id)
    db.session.execute(update(HumanTask).where(HumanTask.instance_id == instance.id).values(unit_id=to_unit_id))
    platform_tasks.put_handover(instance)
    _assign_clinician_tasks(instance.id, new_owner_id)


def reassign(instance_id: str, actor: Actor, new_owner_id: str) -> None:
    """Change the responsible clinician, and who the open clinician steps are assigned to."""
    instance = _locked(instance_id, actor, OPEN_STATUSES, "a finished program has no responsible clinician",
                       may=_may_reassign)
    if not new_owner_id:
        raise InvalidTaskData("name the new responsible clinician")
    instance.owner_id = new_owner_id
    _write(instance, "reassigned", actor, detail=new_owner_id)
    _assign_clinician_tasks(instance.id, new_owner_id)


def _may_manage(actor: Actor, instance: InstanceRow) -> bool:
    """Pause, resume, end, hand over: a clinician on the instance's unit."""
    return actor.may_act_as("behandlare", instance.unit_id)


def _may_reassign(actor: Actor, instance: InstanceRow) -> bool:
    """The unit's resident administrator (absence handling), or the responsible clinician."""
    return actor.may_act_as("invanaradmin", instance.unit_id) or (
        _may_manage(actor, instance) and actor.id == instance.owner_id)


def _locked(instance_id: str, actor: Actor, statuses: tuple, refusal: str, may=_may_manage) -> InstanceRow:
    instance = instances.lock_instance(instance_id)
    if not actor.is_system and not may(actor, instance):
        raise Forbidden("you do not hold the role this needs on the program's unit")
    if instance.status not in statuses:
        raise TaskConflict(refusal)
    return instance


def _write(instance: InstanceRow, kind: str, actor: Actor, detail: str | None = None) -> None:
    """Save the row under its version check, then the history event."""
    instance.updated_at = clock.now()
    rows.write(instance)
    db.session.execute(insert(InstanceEvent.__table__).values(
        instance_id=instance.id, at=instance.updated_at, kind=kind, actor_id=actor.id, detail=detail))


def _assign_clinician_tasks(instance_id: str, owner_id: str | None) -> None:
    db.session.execute(update(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.role == "behandlare")
                       .values(assignee_id=owner_id))
