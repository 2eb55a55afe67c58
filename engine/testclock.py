"""A test run's own clock (R21, R22): a designer moves one test instance's time forward ("+1 dag",
"+1 vecka", "till nästa händelse") and sees what falls due fire, in that instance only.

The offset lives on the instance row (``clock_offset_seconds``). While the engine works on the
instance it reads the platform's time plus that offset (``instances.own_clock``), so SpiffWorkflow
fires the timers the test run's clock has reached. The index rows (timers, task due times) stay in
platform time (``index.platform_time``): the scheduler and the task lists, which compare them with
the platform's clock, then treat the test run as if its today were the real today, and no other
instance, real or test, sees a moved clock. Only a test instance's clock moves; it never goes back,
since what has fired cannot be taken back.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from engine import clock, instances
from engine.db import db
from engine.errors import Forbidden, InvalidTaskData, TaskConflict
from engine.identity import Actor
from engine.models import HumanTask, ProcessInstance, Timer
from engine.operations import Outcome, outcome_of

LONGEST_STEP = timedelta(days=366)


def instance_now(instance) -> datetime:
    """The instance's own time: the platform's, moved by its test clock."""
    return clock.now() + timedelta(seconds=instance.clock_offset_seconds or 0)


def offset(instance_id: str) -> timedelta:
    """How far the instance's clock is ahead of the platform's (zero for every real instance)."""
    seconds = db.session.scalar(select(ProcessInstance.clock_offset_seconds).where(ProcessInstance.id == instance_id))
    return timedelta(seconds=seconds or 0)


def next_event_at(instance_id: str) -> datetime | None:
    """When (platform time) the instance's next timer falls due, or None if nothing waits on time."""
    return db.session.scalar(select(Timer.due_at).where(Timer.instance_id == instance_id)
                             .order_by(Timer.due_at).limit(1))


def move(instance_id: str, step: timedelta, actor: Actor, *, why: str | None = None) -> Outcome:
    """Move a running test instance's clock ``step`` forward and fire what falls due. The caller
    commits. Refused for a real instance, a finished or paused one, and steps out of range."""
    if step <= timedelta(0) or step > LONGEST_STEP:
        raise InvalidTaskData("a test clock moves forward, at most a year at a time")
    instance = instances.lock_instance(instance_id)
    if not instance.is_test:
        raise Forbidden("only a test run's clock can be moved")
    if instance.status != "running":
        raise TaskConflict("the test run is not running: its clock stands still")
    instance.clock_offset_seconds = (instance.clock_offset_seconds or 0) + int(step.total_seconds())
    _bring_rows_forward(instance_id, step)
    with instances.own_clock(instance):
        run = instances.open_run(instance, actor.id)
        run.record("clock_moved", detail=f"{why} ({_words(step)})" if why else _words(step), actor_id=actor.id)
        instances.advance(run)
        instances.save(run)
    return outcome_of(run)


def to_next_event(instance_id: str, actor: Actor) -> Outcome | None:
    """Move the test clock to the instance's next timer and fire it; None if nothing waits on time."""
    due = next_event_at(instance_id)
    if due is None:
        return None
    # SpiffWorkflow fires a timer once the time is past its due time, not at it: one second more.
    step = max(due - clock.now(), timedelta(0)) + timedelta(seconds=1)
    return move(instance_id, step, actor, why="to the next event")


def _bring_rows_forward(instance_id: str, step: timedelta) -> None:
    """The instance's rows are kept in platform time: a clock moved ahead brings its timers and
    task due times that much closer to the platform's now. A handful of rows, one instance."""
    for row in db.session.scalars(select(Timer).where(Timer.instance_id == instance_id)):
        row.due_at, row.enqueued_at = row.due_at - step, None
    for row in db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id)):
        row.created_at = row.created_at - step
        if row.due_at is not None:
            row.due_at = row.due_at - step
    db.session.flush()


def _words(step: timedelta) -> str:
    """The step as an ISO 8601 duration for the history ("P1D", "P7D", "P2DT3H"), to the nearest
    minute: a step to the next event is a few seconds more than the wait it ends."""
    step = timedelta(minutes=round(step.total_seconds() / 60))
    days, seconds = step.days, step.seconds
    hours, minutes, secs = seconds // 3600, seconds % 3600 // 60, seconds % 60
    time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)
    return "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "") if (days or time) else "PT0S"
