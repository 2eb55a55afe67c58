"""The demo clock (VARDFLODE_DEMO_CLOCK): in the demo only, national management moves the
platform's time forward and the timers that fall due fire, as if the days had passed; everyone
sees a banner while the clock is ahead. Elsewhere the page does not exist and a stored offset is
never read; production refuses the setting (tests/test_settings.py)."""
from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

import engine
from engine.db import db
from engine.models import DemoClock, Timer
from tests.conftest import FIXTURES, actor
from tests.web.signin import demo, post, security_events, sign_in_resident  # noqa: F401


@pytest.fixture()
def demo_mode(app, monkeypatch):
    """The app as `vardflode demo` starts it: VARDFLODE_DEMO_CLOCK=1, for the web and the tasks."""
    from tasks import config
    settings = dataclasses.replace(app.extensions["vardflode_settings"], demo_clock=True)
    monkeypatch.setitem(app.extensions, "vardflode_settings", settings)
    monkeypatch.setattr(config, "_settings", settings)
    return settings


def waiting_a_week(publish) -> str:
    """An instance whose next step is a timer due in seven days (P7D)."""
    outcome = engine.start(publish(FIXTURES / "simple"), engine.SYSTEM, unit_id="u1", subject_id="r1")
    task = engine.ready_tasks(outcome.instance_id)[0]
    engine.complete_task(task.id, actor("r1", "invanare"), {"q1": 0, "q2": 0})
    db.session.commit()
    return outcome.instance_id


def test_outside_the_demo_there_is_no_clock_control(demo):
    national = demo.staff("nationell")
    assert national.get("/plattform/klocka").status_code == 404
    assert post(national, "/plattform/klocka", {"step": "week"}, token_from="/plattform").status_code == 404
    assert "/plattform/klocka" not in national.get("/plattform").text
    assert db.session.scalars(select(DemoClock)).all() == [] and security_events("demo_clock_moved") == []


def test_outside_the_demo_a_stored_offset_is_never_read(demo, publish):
    from tasks import scheduler
    waiting_a_week(publish)
    db.session.add(DemoClock(id=1, offset_seconds=int(timedelta(days=30).total_seconds())))
    db.session.commit()
    page = demo.staff("nationell").get("/plattform")
    assert page.status_code == 200 and "demo-clock-banner" not in page.text
    assert engine.clock.demo_offset() == timedelta(0)
    assert scheduler.sweep_once() == 0  # the timer is still a week away


def test_only_national_management_moves_the_clock(demo, demo_mode):
    for client in (demo.staff("behandlare"), demo.staff("vardgivaradmin"),
                   sign_in_resident(demo.client(), demo.resident("anna").id)):
        assert client.get("/plattform/klocka").status_code == 403
        assert post(client, "/plattform/klocka", {"step": "week"}, token_from="/").status_code == 403
    assert engine.clock.demo_offset() == timedelta(0)
    assert db.session.scalars(select(DemoClock)).all() == []
    assert security_events("demo_clock_moved") == []


def test_a_week_forward_fires_the_timer_due_in_seven_days(demo, demo_mode, publish, monkeypatch):
    from tasks import actors, scheduler
    instance_id = waiting_a_week(publish)
    sent = []
    monkeypatch.setattr(scheduler.fire_timer, "send_with_options", lambda **kw: sent.append(kw["args"][0]))
    assert scheduler.sweep_once() == 0

    national = demo.staff("nationell")
    page = national.get("/plattform/klocka")
    assert page.status_code == 200 and "Flytta fram 1 vecka" in page.text and "demo-clock-banner" not in page.text
    response = post(national, "/plattform/klocka", {"step": "week"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/plattform/klocka")
    [event] = security_events("demo_clock_moved")
    assert (event.actor_id, event.subject, event.outcome) == (demo.org.staff["nationell"].id, "week", "ok")

    # Another process (a worker, a second web process) knows the offset only from the database.
    engine.clock.set_demo_offset(timedelta(0))
    assert scheduler.sweep_once() == 1
    assert engine.clock.demo_offset() == timedelta(days=7)
    actors.fire_timer(sent[0])
    db.session.expire_all()
    assert engine.instance(instance_id).status == "completed"
    assert db.session.scalars(select(Timer)).all() == []

    # Moving the clock signs nobody out, and every page says the clock is ahead.
    for client in (national, demo.staff("behandlare")):
        page = client.get("/", follow_redirects=True)
        banner = re.search(r'class="[^"]*demo-clock-banner[^"]*"[^>]*>([^<]*)<', page.text)
        assert page.status_code == 200 and banner and "7 " in banner.group(1)
    assert national.get("/plattform").status_code == 200


def test_a_day_at_a_time_adds_up(demo, demo_mode):
    national = demo.staff("nationell")
    for _ in range(3):
        assert post(national, "/plattform/klocka", {"step": "day"}).status_code == 302
    assert db.session.get(DemoClock, 1).offset_seconds == 3 * 24 * 3600
    assert engine.clock.demo_offset() == timedelta(days=3)
    assert post(national, "/plattform/klocka", {"step": "year"}).status_code == 400
    assert engine.clock.demo_offset() == timedelta(days=3)
