"""A meeting step in a running program books its meeting with the fake vendor over real HTTP;
a vendor that is down leaves it waiting, with the reason, and it is tried again with back-off
by the scheduler's sweep and the actor; recurring steps book one meeting each; a step that goes
away cancels its meeting; the validator refuses a malformed meeting by element id."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

import engine
import forms
from engine.db import db
from tests.conftest import FIXTURES
from tests.video.conftest import SECRET, closed_port_url
from video import booking, config
from video.adapter import HttpAdapter
from video.models import VideoMeeting

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


@pytest.fixture()
def started(ctx, publish):
    engine.clock.freeze(NOW)
    version = publish(FIXTURES / "meeting")
    outcome = engine.start(version, engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1")
    db.session.commit()
    return outcome


def _meetings():
    return list(db.session.scalars(select(VideoMeeting).order_by(VideoMeeting.created_at, VideoMeeting.starts_at)))


def _sweep_and_book(vendor=None) -> list[str]:
    """What the scheduler and the actor do: claim the due meetings, then one try each."""
    ids = booking.claim_due()
    db.session.commit()
    statuses = [booking.book(i, vendor) for i in ids]
    db.session.commit()
    return statuses


def test_an_opened_meeting_step_is_booked_with_ids_and_times_only(started, vendor):
    [meeting] = _meetings()
    assert (meeting.status, meeting.kind, meeting.subject_id, meeting.clinician_id) == ("pending", "assessment", "r1", "c1")
    assert meeting.starts_at == NOW + timedelta(days=1) and meeting.ends_at == meeting.starts_at + timedelta(minutes=45)
    assert _sweep_and_book() == ["booked"]
    db.session.refresh(meeting)
    assert meeting.status == "booked" and meeting.vendor_meeting_id in vendor.meetings
    [(_, _, body)] = vendor.requests
    assert body == {"ref": meeting.id, "starts_at": "2026-11-25T09:00:00Z", "ends_at": "2026-11-25T09:45:00Z"}
    assert _sweep_and_book() == []  # booked: nothing more is sent


def test_a_vendor_that_is_down_is_retried_with_back_off_until_it_answers(started, vendor):
    down = HttpAdapter(closed_port_url(), SECRET, timeout=2)
    assert _sweep_and_book(down) == ["pending"]
    [meeting] = _meetings()
    assert (meeting.last_error, meeting.attempts) == ("unreachable", 1)
    assert meeting.next_attempt_at == NOW + timedelta(seconds=30)
    assert _sweep_and_book(down) == []  # not due yet
    engine.clock.advance(timedelta(seconds=30))
    assert _sweep_and_book(down) == ["pending"]
    db.session.refresh(meeting)
    assert meeting.attempts == 2 and meeting.next_attempt_at == engine.clock.now() + timedelta(minutes=2)
    engine.clock.advance(timedelta(minutes=2))
    assert _sweep_and_book() == ["booked"]  # the vendor is back
    db.session.refresh(meeting)
    assert (meeting.status, meeting.last_error) == ("booked", None)
    assert [booking.backoff(n) for n in (1, 2, 3, 4, 5, 9)] == [
        timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=8), timedelta(minutes=32),
        timedelta(hours=1), timedelta(hours=1)]


def test_the_scheduler_sweep_sends_the_actor_and_the_actor_books(started, vendor):
    from tasks import video_actors
    sent = []
    original = video_actors.book_meeting.send
    video_actors.book_meeting.send = lambda meeting_id: sent.append(meeting_id)
    try:
        assert video_actors.sweep_meetings() == 1
    finally:
        video_actors.book_meeting.send = original
    video_actors.book_meeting.fn(sent[0])  # the actor's body, as a worker runs it (it commits)
    assert _meetings()[0].status == "booked"


def test_without_a_vendor_the_meeting_waits_and_says_why(started):
    config.use(None)
    assert _sweep_and_book() == ["pending"]
    assert _meetings()[0].last_error == "not_configured"


def test_a_meeting_never_booked_before_its_end_has_failed(started):
    config.use(None)
    engine.clock.advance(timedelta(days=2))
    assert _sweep_and_book() == ["failed"]


def test_a_recurring_meeting_books_one_meeting_each_time_the_step_opens(started, vendor):
    _sweep_and_book()
    [task] = engine.ready_tasks(started.instance_id)
    engine.complete_task(task.id, engine.Actor("c1", frozenset({("behandlare", "u1")})), {})
    db.session.commit()
    _sweep_and_book()
    meetings = _meetings()
    assert [m.kind for m in meetings] == ["assessment", "follow_up"]
    assert meetings[1].starts_at == NOW + timedelta(days=7) and meetings[1].status == "booked"
    [task] = engine.ready_tasks(started.instance_id)
    engine.clock.advance(timedelta(days=7, hours=1))
    engine.complete_task(task.id, engine.Actor("c1", frozenset({("behandlare", "u1")})), {})
    db.session.commit()
    assert [m.kind for m in _meetings()] == ["assessment", "follow_up", "follow_up"]
    assert len({m.task_id for m in _meetings()}) == 3


def test_a_step_that_goes_away_cancels_its_meeting_at_the_vendor(started, vendor):
    _sweep_and_book()
    engine.end(started.instance_id, engine.Actor("c1", frozenset({("behandlare", "u1")})), engine.END_REASONS[0])
    db.session.commit()
    assert booking.cancel_gone() == 1
    db.session.commit()
    [meeting] = _meetings()
    assert meeting.status == "cancelled" and vendor.meetings[meeting.vendor_meeting_id]["status"] == "cancelled"


def test_a_test_run_books_no_meeting(ctx, publish, vendor):
    version = publish(FIXTURES / "meeting")
    engine.start(version, engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1", is_test=True)
    db.session.commit()
    assert _meetings() == []


@pytest.mark.parametrize("value, says", [
    ("kind=chat; start=P1D; duration=PT30M", "kind must be assessment or follow_up"),
    ("kind=assessment; start=tomorrow; duration=PT30M", "'tomorrow' is not an ISO 8601 duration"),
    ("kind=assessment; start=P1D", "the meeting needs duration"),
    ("kind=assessment; start=P1D; duration=PT9H", "duration must be from 5 minutes"),
    ("kind=assessment; start=P1D; duration=PT30M; name=Anna", "'name=Anna' is not kind="),
])
def test_the_validator_refuses_a_malformed_meeting_naming_the_element(value, says):
    files = engine.read_paths([FIXTURES / "meeting"])
    text = files["meeting.bpmn"]
    text = text.decode() if isinstance(text, bytes) else text
    files["meeting.bpmn"] = text.replace("kind=assessment; start=P1D; duration=PT45M", value).encode()
    with pytest.raises(engine.ValidationFailed) as refused:
        engine.check_package(files, builtin_forms=forms.builtin_form_names())
    [problem] = refused.value.problems
    assert problem.element_id == "assessment" and says in problem.reason


def test_the_validator_refuses_a_meeting_that_is_not_a_clinicians_user_task():
    files = engine.read_paths([FIXTURES / "meeting"])
    text = files["meeting.bpmn"]
    text = (text.decode() if isinstance(text, bytes) else text).replace(
        '<bpmn:lane id="Lane_clinician" name="Behandlare">', '<bpmn:lane id="Lane_clinician" name="Invånare">')
    files["meeting.bpmn"] = text.encode()
    with pytest.raises(engine.ValidationFailed) as refused:
        engine.check_package(files, builtin_forms=forms.builtin_form_names())
    assert {(p.element_id, "Behandlare lane" in p.reason) for p in refused.value.problems} == {
        ("assessment", True), ("follow_up", True)}
