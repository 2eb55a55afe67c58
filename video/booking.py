"""Booking a meeting step's meeting, retrying while the vendor is down, and the join window.

When a meeting step opens the engine calls ``open_meeting`` in the same transaction: a row is
written, ``pending``, due for its first try now. The scheduler's sweep (``claim_due``) hands due
rows to the ``book_meeting`` actor, which calls the vendor outside any instance lock. A vendor
that does not answer leaves the row pending with the reason and the next try, 30 s, 2 min,
8 min, 32 min and then every hour, until the meeting's end has passed (then it is ``failed``):
the clinician's task list shows why. The step itself waits as any user task waits; nothing in
the workflow depends on the vendor.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

import engine
from engine.db import db
from video import adapter as contract, config
from video.models import VideoMeeting

WINDOW_BEFORE = timedelta(minutes=15)  # join links from 15 minutes before the start to the end
FIRST_BACKOFF = timedelta(seconds=30)
BACKOFF_FACTOR = 4
MAX_BACKOFF = timedelta(hours=1)
MAX_REFUSALS = 3
RESEND_AFTER = timedelta(seconds=60)  # a wake-up that led to no try is sent again after this
OPEN = ("pending", "booked", "started")


def open_meeting(opened) -> None:
    """The engine's listener (engine.on_meeting_opened): the meeting row, due for a first try now."""
    now = engine.clock.now()
    db.session.add(VideoMeeting(task_id=opened.task_id, instance_id=opened.instance_id, element_id=opened.element_id,
                                subject_id=opened.subject_id, clinician_id=opened.owner_id, unit_id=opened.unit_id,
                                kind=opened.kind, starts_at=opened.starts_at, ends_at=opened.ends_at,
                                status="pending", attempts=0, next_attempt_at=now, created_at=now, updated_at=now))
    db.session.flush()


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: 30 s, 2 min, 8 min, 32 min, then 1 h."""
    return min(FIRST_BACKOFF * BACKOFF_FACTOR ** max(0, attempts - 1), MAX_BACKOFF)


def claim_due(limit: int = 50, resend_after: timedelta = RESEND_AFTER) -> list[str]:
    """Ids of pending meetings due for a try whose wake-up is not recent, marked as sent now."""
    now = engine.clock.now()
    ids = list(db.session.scalars(
        select(VideoMeeting.id).where(VideoMeeting.status == "pending", VideoMeeting.next_attempt_at <= now,
                                      or_(VideoMeeting.enqueued_at.is_(None),
                                          VideoMeeting.enqueued_at <= now - resend_after))
        .order_by(VideoMeeting.next_attempt_at).limit(limit)))
    if not ids:
        return []
    claimed = db.session.execute(
        update(VideoMeeting).where(VideoMeeting.id.in_(ids), VideoMeeting.status == "pending",
                                   or_(VideoMeeting.enqueued_at.is_(None), VideoMeeting.enqueued_at <= now - resend_after))
        .values(enqueued_at=now).returning(VideoMeeting.id))
    return [row[0] for row in claimed]


def book(meeting_id: str, vendor: contract.VideoAdapter | None = None) -> str | None:
    """One try to book a pending meeting; returns its status afterwards (None: no such meeting).
    A second call for a booked meeting does nothing. Only ids and times go to the vendor."""
    meeting = db.session.scalar(select(VideoMeeting).where(VideoMeeting.id == meeting_id).with_for_update())
    if meeting is None or meeting.status != "pending":
        return meeting.status if meeting else None
    vendor = vendor or config.adapter()
    now = engine.clock.now()
    meeting.updated_at, meeting.enqueued_at = now, None
    if now >= meeting.ends_at:
        meeting.status, meeting.next_attempt_at = "failed", None
        return meeting.status
    if vendor is None:
        return _later(meeting, "not_configured", now)
    try:
        meeting.vendor_meeting_id = vendor.create_meeting(meeting.id, meeting.starts_at, meeting.ends_at)
    except contract.VendorUnavailable:
        return _later(meeting, "unreachable", now)
    except contract.VendorRefused:
        if meeting.attempts + 1 >= MAX_REFUSALS:
            meeting.attempts += 1
            meeting.status, meeting.last_error, meeting.next_attempt_at = "failed", "refused", None
            return meeting.status
        return _later(meeting, "refused", now)
    meeting.status, meeting.last_error, meeting.next_attempt_at = "booked", None, None
    meeting.attempts += 1
    return meeting.status


def _later(meeting: VideoMeeting, reason: str, now: datetime) -> str:
    meeting.attempts += 1
    meeting.last_error = reason
    meeting.next_attempt_at = now + backoff(meeting.attempts)
    return meeting.status


def cancel_gone(vendor: contract.VideoAdapter | None = None, limit: int = 20) -> int:
    """Meetings whose step went away before they started (the program ended, a timer took the
    step): cancelled, at the vendor too when it had them. A vendor that is down is asked again
    on a later sweep."""
    now = engine.clock.now()
    candidates = list(db.session.scalars(
        select(VideoMeeting).where(VideoMeeting.status.in_(("pending", "booked")), VideoMeeting.starts_at > now)
        .order_by(VideoMeeting.starts_at).limit(500)))
    done = 0
    for meeting in candidates:
        if done >= limit or engine.task_details(meeting.task_id) is not None:
            continue
        if meeting.status == "booked":
            try:
                (vendor or config.adapter()).cancel(meeting.vendor_meeting_id)
            except (contract.VendorError, AttributeError):
                continue
        meeting.status, meeting.next_attempt_at, meeting.updated_at = "cancelled", None, now
        done += 1
    return done


class NotJoinable(Exception):
    """Why a join link is not given now: ``reason`` is a code the screens translate."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    closes_at: datetime


def window(meeting: VideoMeeting) -> Window:
    return Window(meeting.starts_at - WINDOW_BEFORE, meeting.ends_at)


def in_window(meeting: VideoMeeting, now: datetime | None = None) -> bool:
    now = now or engine.clock.now()
    span = window(meeting)
    return meeting.status in ("booked", "started") and span.opens_at <= now < span.closes_at


def join_link(meeting: VideoMeeting, role: str, person_id: str, vendor: contract.VideoAdapter | None = None) -> str:
    """A personal join address from the vendor, only in the window around the start. The caller
    has checked that the person is the meeting's resident or may act on its step, and logs the join."""
    now = engine.clock.now()
    if meeting.status not in ("booked", "started"):
        raise NotJoinable("not_booked" if meeting.status == "pending" else "over")
    span = window(meeting)
    if now < span.opens_at:
        raise NotJoinable("too_early")
    if now >= span.closes_at:
        raise NotJoinable("over")
    vendor = vendor or config.adapter()
    if vendor is None:
        raise NotJoinable("unreachable")
    participant = contract.participant_ref(config.secret() or "", meeting.id, person_id)
    try:
        return vendor.join_link(meeting.vendor_meeting_id, role, participant)
    except contract.VendorError:
        raise NotJoinable("unreachable") from None


def apply_status(event: contract.StatusEvent) -> bool:
    """A checked callback's event on its meeting; False when no meeting has that vendor id and ref."""
    meeting = db.session.scalar(select(VideoMeeting).where(VideoMeeting.vendor_meeting_id == event.vendor_meeting_id,
                                                           VideoMeeting.id == event.ref))
    if meeting is None:
        return False
    if event.event == "started" and meeting.status == "booked":
        meeting.status = "started"
    elif event.event == "ended" and meeting.status in ("booked", "started"):
        meeting.status = "ended"
    meeting.updated_at = engine.clock.now()
    return True


def for_tasks(task_ids) -> dict[str, VideoMeeting]:
    """The meeting of each of these steps that has one (the clinician's task list and task page)."""
    ids = [t for t in task_ids if t]
    if not ids:
        return {}
    return {m.task_id: m for m in db.session.scalars(select(VideoMeeting).where(VideoMeeting.task_id.in_(ids)))}


def for_resident(resident_id: str, instance_id: str | None = None) -> list[VideoMeeting]:
    """The resident's coming and ongoing meetings, soonest first."""
    now = engine.clock.now()
    stmt = select(VideoMeeting).where(VideoMeeting.subject_id == resident_id, VideoMeeting.status.in_(OPEN),
                                      VideoMeeting.ends_at > now)
    if instance_id is not None:
        stmt = stmt.where(VideoMeeting.instance_id == instance_id)
    return list(db.session.scalars(stmt.order_by(VideoMeeting.starts_at)))


def unit_now(meeting: VideoMeeting) -> str | None:
    """The program's unit today (a hand-over moves it); the meeting's unit if the program is gone."""
    found = engine.instance(meeting.instance_id)
    return found.unit_id if found is not None else meeting.unit_id


def get(meeting_id: str) -> VideoMeeting | None:
    return db.session.get(VideoMeeting, meeting_id) if meeting_id and len(meeting_id) <= 32 else None


@dataclass(frozen=True)
class State:
    """What a page says about a meeting now: ``code`` is one of join, wait, pending, failed, over,
    cancelled; ``opens_at`` when joining opens; ``retry_at`` the next try while pending."""

    code: str
    opens_at: datetime
    retry_at: datetime | None
    reason: str | None


def state(meeting: VideoMeeting, now: datetime | None = None) -> State:
    now = now or engine.clock.now()
    span = window(meeting)
    if meeting.status == "cancelled":
        code = "cancelled"
    elif meeting.status == "failed":
        code = "failed"
    elif meeting.status == "ended" or now >= span.closes_at:
        code = "over"
    elif meeting.status == "pending":
        code = "pending"
    elif now < span.opens_at:
        code = "wait"
    else:
        code = "join"
    return State(code, span.opens_at, meeting.next_attempt_at if meeting.status == "pending" else None,
                 meeting.last_error)
