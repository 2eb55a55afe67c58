"""The meeting on the clinician's task list and task page and on the resident's page: why it is
not booked while the vendor is down, the join link only in the window (15 minutes before the
start to its end), every join in the PDL log, someone else's meeting refused, and the vendor's
status callbacks taken only when signed with the shared secret. English UI (the Swedish catalogue
comes with the merge)."""
from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

import engine
from access.records import SecurityEvent
from engine.db import db
from tests.conftest import FIXTURES
from tests.video.conftest import SECRET, closed_port_url
from tests.web.signin import demo, missing_context, pdl_rows, sign_in_resident  # noqa: F401
from video import booking, config, signing
from video.adapter import HttpAdapter
from video.models import VideoMeeting

EN = {"Accept-Language": "en"}


@pytest.fixture()
def meeting_world(demo, publish):
    version = publish(FIXTURES / "meeting")
    anna = demo.resident("anna")
    engine.start(version, engine.SYSTEM, unit_id=demo.org.units["nord"].id, subject_id=anna.id,
                 owner_id=demo.org.staff["behandlare"].id)
    db.session.commit()
    return demo


def _meeting() -> VideoMeeting:
    return db.session.scalar(select(VideoMeeting))


def _try_booking(adapter=None):
    for meeting_id in booking.claim_due():
        booking.book(meeting_id, adapter)
    db.session.commit()


def _resident_client(world, key="anna"):
    return sign_in_resident(world.client(), world.resident(key).id)


def test_the_clinician_sees_why_a_meeting_is_not_booked_while_the_vendor_is_down(meeting_world, vendor):
    _try_booking(HttpAdapter(closed_port_url(), SECRET, timeout=2))
    client = meeting_world.staff("behandlare")
    page = client.get("/uppgifter", headers=EN).text
    assert "Video meeting (assessment)" in page
    assert "Not booked yet: the video service did not answer." in page and "Next try" in page
    assert "/anslut" not in page
    meeting = _meeting()
    program_page = client.get(f"/invanare/{meeting.subject_id}/program/{meeting.instance_id}", headers=EN).text
    assert "Not booked yet: the video service did not answer." in program_page
    resident_page = _resident_client(meeting_world).get("/mina-uppgifter", headers=EN).text
    assert "The meeting is being prepared." in resident_page and "did not answer" not in resident_page


def test_the_join_link_is_given_only_in_the_window_and_every_join_is_logged(meeting_world, vendor):
    _try_booking()
    meeting = _meeting()
    clinician, resident = meeting_world.staff("behandlare"), _resident_client(meeting_world)
    anna = meeting_world.resident("anna")
    # The day before: the time and when joining opens, no link; the join address says "too early".
    page = clinician.get("/uppgifter", headers=EN).text
    assert "You can join from" in page and f"/videomote/{meeting.id}/anslut" not in page
    early = clinician.get(f"/videomote/{meeting.id}/anslut", headers=EN)
    assert early.status_code == 409 and "It is too early to join." in early.text
    assert not any(p == "/meetings/" + meeting.vendor_meeting_id + "/links" for _, p, _ in vendor.requests)
    # 15 minutes before the start: both get the link, each their own (signed in afresh: a day passed).
    engine.clock.freeze(meeting.starts_at - timedelta(minutes=15))
    clinician, resident = meeting_world.staff("behandlare"), _resident_client(meeting_world)
    page = clinician.get("/uppgifter", headers=EN).text
    assert f"/videomote/{meeting.id}/anslut" in page and "Join the video meeting" in page
    task_id = meeting.task_id
    assert f"/videomote/{meeting.id}/anslut" in clinician.get(f"/uppgifter/{task_id}", headers=EN).text
    staff_join = clinician.get(f"/videomote/{meeting.id}/anslut")
    assert staff_join.status_code == 303 and staff_join.headers["Location"].startswith(vendor.url + "/join/")
    assert "role=clinician" in staff_join.headers["Location"]
    assert f"/videomote/{meeting.id}/anslut" in resident.get("/mina-uppgifter", headers=EN).text
    own_join = resident.get(f"/videomote/{meeting.id}/anslut")
    assert own_join.status_code == 303 and "role=resident" in own_join.headers["Location"]
    joins = pdl_rows(resource_type="video_join", outcome="allowed")
    # Every try is logged, the one that came too early too.
    assert [(r.actor_type, r.resident_id, r.resource_id) for r in joins] == [
        ("staff", anna.id, meeting.id), ("staff", anna.id, meeting.id), ("resident", anna.id, meeting.id)]
    assert missing_context(joins[0]) == []
    # Only ids and times went to the vendor: no name, no personal identity number.
    sent = json.dumps([body for _, _, body in vendor.requests])
    assert anna.given_name not in sent and anna.family_name not in sent and anna.personnummer not in sent
    assert anna.id not in sent  # not even our id for her: a per-meeting pseudonym
    # After the end: no link any more.
    engine.clock.freeze(meeting.ends_at)
    clinician, resident = meeting_world.staff("behandlare"), _resident_client(meeting_world)
    assert clinician.get(f"/videomote/{meeting.id}/anslut").status_code == 409
    assert f"/videomote/{meeting.id}/anslut" not in resident.get("/mina-uppgifter", headers=EN).text


def test_another_residents_meeting_is_refused_and_logged(meeting_world, vendor):
    _try_booking()
    meeting = _meeting()
    engine.clock.freeze(meeting.starts_at - timedelta(minutes=5))
    other = _resident_client(meeting_world, "fredrik")
    assert other.get(f"/videomote/{meeting.id}/anslut").status_code == 404
    assert f"/videomote/{meeting.id}" not in other.get("/mina-uppgifter").text
    [row] = pdl_rows(resource_type="video_join")
    assert (row.outcome, row.resident_id) == ("denied", meeting_world.resident("fredrik").id)
    staff_elsewhere = meeting_world.staff("syd")
    assert staff_elsewhere.get(f"/videomote/{meeting.id}/anslut").status_code in (403, 404)


def _signed_post(client, body: bytes, secret=SECRET):
    return client.post("/video/status", data=body, content_type="application/json",
                       headers=signing.headers(secret, int(time.time()), body))


def test_signed_status_callbacks_are_taken_and_forged_ones_refused(meeting_world, vendor):
    _try_booking()
    meeting = _meeting()
    body = json.dumps({"meeting": meeting.vendor_meeting_id, "ref": meeting.id, "event": "started",
                       "at": "2026-11-25T09:00:00Z"}).encode()
    client = meeting_world.client()
    forged = _signed_post(client, body, secret="a guess")
    assert forged.status_code == 403
    db.session.expire_all()
    assert _meeting().status == "booked"
    assert db.session.scalar(select(SecurityEvent).where(SecurityEvent.kind == "video_callback")).outcome == "denied"
    assert client.post("/video/status", data=body, content_type="application/json").status_code == 403  # unsigned
    assert _signed_post(client, body).status_code == 204
    db.session.expire_all()
    assert _meeting().status == "started"
    ended = body.replace(b'"started"', b'"ended"')
    assert _signed_post(client, ended).status_code == 204
    db.session.expire_all()
    assert _meeting().status == "ended"
    unknown = body.replace(meeting.id.encode(), b"0" * 32)
    assert _signed_post(client, unknown).status_code == 404
