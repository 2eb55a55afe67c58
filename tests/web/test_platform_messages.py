"""Messages the platform sends to a waiting program (docs/ENGINE.md, "Messages the platform
sends"): a resident's message through the real message form ends "the resident answers or 7
days" before the timer; a clinician's named action shows as a button on the program page while
the program waits for it, and pressing it (CSRF, role on the unit, PDL row) moves the program on."""
from __future__ import annotations

import zlib
from datetime import timedelta
from pathlib import Path

import pytest

import engine
from design import driver
from engine.db import db
from engine.models import ProcessInstance
from tests.web.signin import demo, pdl_rows, post, sign_in_resident  # noqa: F401

CONSTRUCTS = Path(__file__).resolve().parent.parent / "constructs"
BUTTON = '<button type="submit">Phone call held</button>'  # the catch event's name in the BPMN
TEXT = "Jag har gjort övningen och mår bättre"


def start_for(demo, version: str, resident: str = "anna", unit: str = "nord", owner: str = "behandlare") -> str:
    outcome = engine.start(version, engine.SYSTEM, unit_id=demo.org.units[unit].id,
                           subject_id=demo.resident(resident).id, owner_id=demo.org.staff[owner].id)
    db.session.commit()
    return outcome.instance_id


def elements(instance_id: str) -> set:
    return {e.element_id for e in engine.history(instance_id)}


@pytest.fixture()
def race(demo, publish):
    """Anna's "answer or 7 days" program on Nord, and the same program of hers on Syd."""
    version = publish(CONSTRUCTS / "message_resident_or_timer")
    return start_for(demo, version), start_for(demo, version, unit="syd", owner="syd")


def test_a_residents_message_ends_the_race_before_the_timer(demo, race):
    on_nord, on_syd = race
    engine.clock.advance(timedelta(days=2))  # before signing in: two days would end the session
    resident = sign_in_resident(demo.client(), demo.resident("anna").id)
    sent = post(resident, "/mina-meddelanden", {"unit": demo.org.units["nord"].id, "body": TEXT})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/mina-meddelanden")
    assert [t.element_id for t in engine.ready_tasks(on_nord)] == ["read_answer"]
    assert ("message_received", engine.RESIDENT_MESSAGE) in [(e.kind, e.detail) for e in engine.history(on_nord)]
    driver.move_clock_to(engine.clock.now() + timedelta(days=8))  # the 7 days pass: the timer lost the race
    assert {"seven_days", "call_resident"}.isdisjoint(elements(on_nord))
    # The message went to the unit it was written to: the Syd program still waits.
    assert "resident_wrote" not in elements(on_syd) and engine.instance(on_syd).status == "running"


def test_the_program_hears_that_a_message_came_never_what_it_said(demo, race):
    on_nord, _ = race
    resident = sign_in_resident(demo.client(), demo.resident("anna").id)
    assert post(resident, "/mina-meddelanden", {"unit": demo.org.units["nord"].id, "body": TEXT}).status_code == 302
    state = zlib.decompress(db.session.get(ProcessInstance, on_nord).state).decode()
    assert "resident_wrote" in elements(on_nord)
    assert "övningen" not in state and "\\u00f6vningen" not in state
    assert all("övningen" not in (e.detail or "") for e in engine.history(on_nord))


@pytest.fixture()
def waiting_for_call(demo, publish):
    """Anna's program on Nord, waiting for the clinician's "Phone call held" after her diary."""
    instance_id = start_for(demo, publish(CONSTRUCTS / "clinician_action_message"))
    [diary] = engine.ready_tasks(instance_id)
    page = f"/invanare/{demo.resident('anna').id}/program/{instance_id}"
    return instance_id, diary, page


def test_the_named_action_shows_only_while_the_program_waits_for_it(demo, waiting_for_call):
    instance_id, diary, page = waiting_for_call
    clinician = demo.staff("behandlare")
    assert BUTTON not in clinician.get(page).text  # the diary comes first
    engine.complete_task(diary.id, engine.SYSTEM, {})
    db.session.commit()
    html = clinician.get(page).text
    assert BUTTON in html and f'action="/program/{instance_id}/atgard/call_done"' in html


def test_pressing_the_named_action_moves_the_program_on_with_a_pdl_row(demo, waiting_for_call):
    instance_id, diary, page = waiting_for_call
    engine.complete_task(diary.id, engine.SYSTEM, {})
    db.session.commit()
    clinician = demo.staff("behandlare")
    pressed = post(clinician, f"/program/{instance_id}/atgard/call_done", {}, token_from=page)
    assert pressed.status_code == 302 and pressed.headers["Location"].endswith(page)
    assert [t.element_id for t in engine.ready_tasks(instance_id)] == ["next_diary"]
    row = pdl_rows(resident_id=demo.resident("anna").id, action="update")[-1]
    assert (row.actor_id, row.outcome, row.resource_id) == (demo.org.staff["behandlare"].id, "allowed", instance_id)
    received = [e for e in engine.history(instance_id) if e.kind == "message_received"]
    assert [(e.detail, e.actor_id) for e in received] == [("vardflode.action.call_done", demo.org.staff["behandlare"].id)]
    assert BUTTON not in clinician.get(page).text
    again = post(clinician, f"/program/{instance_id}/atgard/call_done", {}, token_from=page)
    assert again.status_code == 409  # it waits no more: nothing happens twice


def test_the_named_action_needs_the_clinician_role_on_the_unit_and_csrf(demo, waiting_for_call):
    instance_id, diary, page = waiting_for_call
    engine.complete_task(diary.id, engine.SYSTEM, {})
    db.session.commit()
    other_unit = demo.staff("syd")
    assert post(other_unit, f"/program/{instance_id}/atgard/call_done", {}, token_from="/invanare").status_code == 403
    clinician = demo.staff("behandlare")
    assert clinician.post(f"/program/{instance_id}/atgard/call_done", data={}).status_code in (400, 403)
    assert post(clinician, f"/program/{instance_id}/atgard/no_such", {}, token_from=page).status_code == 409
    assert "call_done" not in elements(instance_id)
