"""A video meeting in real browsers: the program's assessment meeting step has been booked with the
fake vendor; ten minutes before the start Bodil, the responsible clinician, finds the meeting on
her task list with a join button, follows it and lands in the vendor's room, and the vendor's
signed "started" callback reaches the platform over real HTTP; Anna finds the same meeting under
"My steps" and joins too. axe passes at 1280 and 320 px on both pages."""
from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

import engine
from cli import demo_people
from engine.db import db
from tests.browser.axe import look
from tests.browser.signin import sign_in_staff
from tests.conftest import FIXTURES
from video import booking, config
from video.adapter import HttpAdapter
from video.fake_vendor import FakeVendor
from video.models import VideoMeeting

pytestmark = pytest.mark.browser
SECRET = "b" * 40
HSA = {key: hsa for key, hsa, *_ in demo_people.STAFF}


@pytest.fixture()
def booked(ctx, publish, live_server):
    engine.clock.reset()
    org = demo_people.seed()
    version = publish(FIXTURES / "meeting")
    anna = org.residents["anna"]
    engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id, subject_id=anna.id,
                 owner_id=org.staff["behandlare"].id)
    db.session.commit()
    vendor = FakeVendor(SECRET, callback_url=live_server + "/video/status").start()
    before = (config.adapter(), config.secret())
    config.use(HttpAdapter(vendor.url, SECRET), SECRET)
    for meeting_id in booking.claim_due():
        booking.book(meeting_id)
    db.session.commit()
    meeting = db.session.scalar(select(VideoMeeting))
    engine.clock.freeze(meeting.starts_at - timedelta(minutes=10))
    yield vendor, meeting, anna
    vendor.stop()
    config.use(*before)


def _status(meeting_id: str) -> str:
    db.session.expire_all()
    return db.session.get(VideoMeeting, meeting_id).status


def test_the_clinician_and_the_resident_join_the_meeting_in_its_window(open_page, booked):
    vendor, meeting, anna = booked
    assert meeting.status == "booked"
    bodil = open_page("/logga-in/medarbetare")
    sign_in_staff(bodil, HSA["behandlare"])
    bodil.goto("/uppgifter")
    box = bodil.locator(f"#video-{meeting.id}")
    assert box.get_attribute("data-state") == "join"
    look(bodil, "video-tasklist")
    box.locator("a.button").click()
    bodil.wait_for_url(re.compile(re.escape(vendor.url) + r"/join/.*role=clinician.*"))
    assert "Video room" in bodil.text_content("h1")
    deadline = time.monotonic() + 10  # the vendor's signed callback, over real HTTP, in its own thread
    while _status(meeting.id) != "started" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _status(meeting.id) == "started"
    assert vendor.callbacks and vendor.callbacks[0][0] == 204

    resident = open_page("/logga-in/invanare")
    resident.check(f"#id-{anna.id}")
    resident.click("main button[type=submit]")
    resident.wait_for_load_state()
    resident.goto("/mina-uppgifter")
    box = resident.locator(f"#video-{meeting.id}")
    assert box.get_attribute("data-state") == "join"
    look(resident, "video-my-steps")
    box.locator("a.button").click()
    resident.wait_for_url(re.compile(re.escape(vendor.url) + r"/join/.*role=resident.*"))
