"""A program version edited in the database is refused where people meet it: the resident sending
a step gets a plain page (never a 500), the attempt is a security event, the instance is an incident
an administrator sees, and a timer firing on it stops without retrying forever."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

import engine
from engine import instances
from engine.db import db
from engine.models import HumanTask, ProgramVersion, Timer
from tasks import actors
from tests.web.signin import demo, post, security_events, sign_in_resident  # noqa: F401


def edit_stored_spec(version: str) -> None:
    spec = db.session.get(ProgramVersion, version).spec_json
    db.session.execute(update(ProgramVersion).where(ProgramVersion.content_hash == version)
                       .values(spec_json=spec.replace('"severe"', '"False"')))
    db.session.commit()
    instances.forget_cached_versions()


def test_sending_a_step_of_a_tampered_version_gives_a_plain_page_and_an_incident(demo):
    anna = demo.resident("anna")
    task_id = db.session.scalar(select(HumanTask.id).where(HumanTask.instance_id == demo.instances["anna"]))
    client = sign_in_resident(demo.client(), anna.id)
    path = f"/mina-uppgifter/{task_id}"
    token_page = client.get(path)
    assert token_page.status_code == 200
    edit_stored_spec(demo.version)
    response = post(client, path, {"q1": "3", "q2": "3"}, token_from="/")
    assert response.status_code == 409
    assert "1177" in response.text and "Traceback" not in response.text
    [event] = security_events("version_refused")
    assert event.subject == demo.version and event.actor_id == anna.id
    assert engine.instance(demo.instances["anna"]).status == "incident"


def test_a_timer_on_a_tampered_version_is_an_incident_and_a_security_event_without_retries(demo, publish):
    from tests.conftest import FIXTURES
    instance_id = demo.instances["fredrik"]
    task_id = db.session.scalar(select(HumanTask.id).where(HumanTask.instance_id == instance_id))
    engine.complete_task(task_id, engine.SYSTEM, {"q1": 0, "q2": 0})  # low score: a week's wait
    db.session.commit()
    timer_id = db.session.scalar(select(Timer.id).where(Timer.instance_id == instance_id))
    edit_stored_spec(demo.version)
    engine.clock.advance(timedelta(days=8))
    actors.fire_timer.fn(timer_id)  # no exception: nothing for Dramatiq to retry
    assert engine.instance(instance_id).status == "incident"
    assert [e.subject for e in security_events("version_refused")] == [demo.version]
