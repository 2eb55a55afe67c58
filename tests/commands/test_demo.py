"""The README's first command: ``vardflode demo`` creates, seeds and serves the platform."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta

import pytest

import engine
from access.models import Resident
from engine.db import db
from engine.models import ProcessInstance, Timer
from tests.conftest import ROOT
from cli import demo, demo_people


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_demo_serves_the_platform_with_demo_data(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VARDFLODE_")}
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "demo", "--port", str(port), "--data-dir",
                             str(tmp_path / "demo")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        health = _get_when_up(f"http://127.0.0.1:{port}/healthz", proc)
        assert '"database":"ok"' in health.replace(" ", "") and '"broker":"in-process"' in health.replace(" ", "")
        page = _get_when_up(f"http://127.0.0.1:{port}/", proc)
        assert "Välkommen till Vårdflöde" in page and "Logga in som invånare" in page
        people = _get_when_up(f"http://127.0.0.1:{port}/logga-in/invanare", proc)  # the development e-ID
        assert "Anna Andersson" in people
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        output = proc.communicate(timeout=30)[0]
    assert f"http://127.0.0.1:{port}/" in output
    assert "instances started" in output


def _get_when_up(url, proc, timeout=90) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError("the demo stopped: " + proc.stdout.read())
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer")



def test_the_demo_seed_shows_a_living_clinic_with_the_eight_week_program(ctx):
    """Someone just starting, someone flagged, someone in module 3, someone waiting for feedback,
    someone in follow-up, and someone between modules whose next module opens within the week."""
    engine.clock.reset()
    demo.seed()
    key_of = {demo_people.personnummer_for(birth, serial): key for key, birth, serial, *_ in demo_people.RESIDENTS}
    waiting = {}
    between = {}
    for instance, resident in db.session.execute(
            db.select(ProcessInstance, Resident).join(Resident, Resident.id == ProcessInstance.subject_id)):
        tasks = engine.ready_tasks(instance.id)
        if not tasks:
            between[key_of[resident.personnummer]] = db.session.scalar(
                db.select(Timer.due_at).where(Timer.instance_id == instance.id))
            continue
        (task,) = tasks
        waiting[key_of[resident.personnummer]] = (task.element_id, task.priority, engine.task_context(task.id).data)
    assert set(waiting) == {"anna", "bo", "cecilia", "david", "elsa"}
    assert list(between) == ["hugo"]
    assert timedelta(days=4) < between["hugo"] - engine.clock.now() < timedelta(days=6)
    assert waiting["anna"][0] == "intake"
    assert waiting["bo"][:2] == ("assess_risk", 1)  # flagged for attention
    assert waiting["cecilia"][0] == "read_module"
    assert (waiting["cecilia"][2]["module_nr"], waiting["cecilia"][2]["module_count"]) == (3, 8)
    assert waiting["david"][0] == "followup"
    assert waiting["elsa"][0] == "feedback"  # the clinician has feedback to give


def test_a_week_on_the_demo_clock_opens_module_2_and_escalates_the_unassessed_risk(ctx, app, monkeypatch):
    """What the demo clock is for (/plattform/klocka): a week later Hugo's module 2 is open
    and Bo's risk assessment, left for two days, has been escalated."""
    import dataclasses
    from tasks import actors, config, scheduler
    settings = dataclasses.replace(config.settings(), demo_clock=True)
    monkeypatch.setattr(config, "_settings", settings)
    engine.clock.reset()
    demo.seed()
    sent = []
    monkeypatch.setattr(scheduler.fire_timer, "send_with_options", lambda **kw: sent.append(kw["args"][0]))
    assert scheduler.sweep_once() == 0
    engine.democlock.move(timedelta(weeks=1), None)
    db.session.commit()
    engine.clock.set_demo_offset(timedelta(0))  # the scheduler reads the offset from the database
    from engine.models import ProcessInstance as Instance, Timer
    due = scheduler.sweep_once()
    in_care = db.session.scalar(db.select(db.func.count()).select_from(Timer).join(
        Instance, Instance.id == Timer.instance_id).where(Timer.id.in_(sent), Instance.subject_id.is_not(None)))
    assert (in_care, due - in_care) == (2, 3)  # Hugo's and Bo's; the seeded onboarding and incident's reminders
    for timer_id in sent:
        actors.fire_timer(timer_id)
    db.session.expire_all()
    key_of = {demo_people.personnummer_for(birth, serial): key for key, birth, serial, *_ in demo_people.RESIDENTS}
    waiting = {}
    for instance, resident in db.session.execute(
            db.select(ProcessInstance, Resident).join(Resident, Resident.id == ProcessInstance.subject_id)):
        waiting[key_of[resident.personnummer]] = {t.element_id: t for t in engine.ready_tasks(instance.id)}
    hugo = waiting["hugo"]["weekly_check"]  # module 2 begins with the week's questionnaire
    assert engine.task_context(hugo.id).data["module_nr"] == 2, engine.task_context(hugo.id).data
    assert "escalate_risk" in waiting["bo"]
