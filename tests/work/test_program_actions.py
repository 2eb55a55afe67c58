"""Pausing, resuming, ending, handing over and changing the responsible clinician through the
real pages: who may, what they may choose, the PDL row of every attempt, CSRF on every form."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.support.publishing import publish_approved
import catalogue
import engine
from access import directory
from access.principal import Principal, active_grants, valid_assignments
from access.secrets_hashing import hash_secret
from engine.db import db
from notify.models import OutboxMessage
from sqlalchemy import select
from tests.support import bpmn
from tests.web.signin import WORKDAY, csrf_token, pdl_rows, post, sign_in_resident, sign_in_staff
from cli import demo_people
from care.program_actions import available_actions

PROGRAM_JSON = ('{"id": "riskuppfoljning", "version": "1.0", "name": "Riskuppföljning", '
                '"main_process": "risk_followup", "kind": "treatment", "languages": ["sv"], "journal_items": []}')


def program_files() -> dict:
    """Homework (resident), then the clinician's assessment; not assessed within two days, it
    escalates to the resident administrator, after which the responsible clinician assesses again."""
    body = ('<bpmn:startEvent id="start" />' + bpmn.user_task("homework", name="Hemuppgift") +
            bpmn.user_task("assess", name="Bedöm risk") +
            '<bpmn:boundaryEvent id="too_late" attachedToRef="assess"><bpmn:timerEventDefinition id="too_late_def">'
            '<bpmn:timeDuration>P2D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>' +
            bpmn.user_task("escalate", name="Eskalera riskbedömning") + bpmn.user_task("reassess", name="Bedöm risk igen") +
            '<bpmn:endEvent id="end" /><bpmn:endEvent id="end_escalated" />' +
            bpmn.flows(("f1", "start", "homework"), ("f2", "homework", "assess"), ("f3", "assess", "end"),
                       ("f4", "too_late", "escalate"), ("f5", "escalate", "reassess"),
                       ("f6", "reassess", "end_escalated")))
    lanes = {"Invånare": ["start", "homework"], "Behandlare": ["assess", "too_late", "end", "reassess", "end_escalated"],
             "Invånaradministratör": ["escalate"]}
    return {"risk.bpmn": bpmn.process("risk_followup", body, lanes), "program.json": PROGRAM_JSON}


class World:
    def __init__(self, app, org, instance_id):
        self.app, self.org, self.instance_id = app, org, instance_id

    def staff(self, key):
        return sign_in_staff(self.app.test_client(), self.org.staff[key].hsa_id)

    def resident(self, key="anna"):
        return sign_in_resident(self.app.test_client(), self.org.residents[key].id)

    def path(self, action):
        return f"/program/{self.instance_id}/{action}"

    @property
    def instance(self):
        db.session.expire_all()
        return engine.instance(self.instance_id)

    def task(self, element_id):
        found = [t for t in engine.ready_tasks(self.instance_id) if t.element_id == element_id]
        assert len(found) == 1, engine.ready_tasks(self.instance_id)
        return found[0]


@pytest.fixture()
def world(ctx, publish) -> World:
    """Anna's program on Nord with Bodil responsible; Kim is a second clinician on Nord; the
    program is activated on Nord, Syd and on the private provider's unit."""
    engine.clock.freeze(WORKDAY)
    org = demo_people.seed()
    kim = directory.create_staff("SE2321000016-B003", "Kim", "Kollega", password_hash=hash_secret(demo_people.DEMO_PASSWORD),
                                 totp_secret=demo_people.totp_secret_for("SE2321000016-B003"))
    directory.add_assignment(kim, org.units["nord"])
    directory.grant_role(kim, "behandlare", "unit", org.units["nord"].id, granted_by="test")
    org.staff["kim"] = kim
    version = publish(program_files())
    publish_approved(version, org.publishers["national"].id, org.staff["utgivare"].id)
    catalogue.activate("riskuppfoljning", [org.units[u].id for u in ("nord", "syd", "privat")],
                       org.staff["vardgivaradmin"].id)
    outcome = engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id,
                           subject_id=org.residents["anna"].id, owner_id=org.staff["behandlare"].id)
    db.session.commit()
    return World(ctx, org, outcome.instance_id)


def send(client, path, data=None):
    """POST as the page's own form would, with the session's CSRF token."""
    return post(client, path, data or {}, token_from="/")


def do_homework(world):
    engine.complete_task(world.task("homework").id, engine.SYSTEM, {})
    db.session.commit()


def changes(world, **where):
    return pdl_rows(resource_type="process_instance", resource_id=world.instance_id, action="update", **where)


def test_a_clinician_pauses_and_resumes_and_each_change_is_logged(world):
    bodil = world.staff("behandlare")
    response = send(bodil, world.path("paus"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/invanare/{world.org.residents['anna'].id}/program/{world.instance_id}")
    assert world.instance.status == "paused"
    [row] = changes(world, outcome="allowed")
    assert (row.actor_id, row.role, row.resident_id, row.unit_id) == (
        world.org.staff["behandlare"].id, "behandlare", world.org.residents["anna"].id, world.org.units["nord"].id)

    # The resident keeps their pages, but nothing is due while paused.
    anna = world.resident()
    assert "/mina-uppgifter/" not in anna.get("/mina-uppgifter").get_data(as_text=True)
    homework = world.task("homework").id
    page = anna.get(f"/mina-uppgifter/{homework}").get_data(as_text=True)
    assert f'action="/mina-uppgifter/{homework}"' not in page and 'class="notice"' in page
    assert send(anna, f"/mina-uppgifter/{homework}").status_code == 409

    kim = world.staff("kim")  # a colleague on the unit covers for the responsible clinician
    assert send(kim, world.path("ateruppta")).status_code == 302
    assert world.instance.status == "running"
    assert f"/mina-uppgifter/{homework}" in anna.get("/mina-uppgifter").get_data(as_text=True)
    assert len(changes(world, outcome="allowed")) == 2


def test_ending_takes_one_of_the_offered_reasons(world):
    bodil = world.staff("behandlare")
    page = bodil.get(world.path("avsluta"))
    assert page.status_code == 200 and 'value="no_contact"' in page.get_data(as_text=True)
    bad = send(bodil, world.path("avsluta"), {"reason": "tired_of_it"})
    assert bad.status_code == 400 and 'role="alert"' in bad.get_data(as_text=True)
    assert world.instance.status == "running" and changes(world) == []

    assert send(bodil, world.path("avsluta"), {"reason": "referred"}).status_code == 302
    assert world.instance.status == "ended" and engine.ready_tasks(world.instance_id) == []
    assert engine.history(world.instance_id)[-1].detail == "referred"
    again = send(bodil, world.path("avsluta"), {"reason": "other"})
    assert again.status_code == 409  # already ended: a conflict, not a second ending


def test_handing_over_offers_only_open_units_of_the_same_provider_where_the_program_is_active(world):
    do_homework(world)
    bodil = world.staff("behandlare")
    page = bodil.get(world.path("overlamna")).get_data(as_text=True)
    assert "Vårdcentral Syd" in page and "Sven Sydbehandlare" in page
    assert "Privat KBT-mottagning" not in page and "Stängd mottagning" not in page
    syd, privat = world.org.units["syd"].id, world.org.units["privat"].id

    across = send(bodil, world.path("overlamna"), {"unit": privat, "clinician": ""})
    assert across.status_code == 400
    wrong_person = send(bodil, world.path("overlamna"), {"unit": syd, "clinician": world.org.staff["kim"].id})
    assert wrong_person.status_code == 400
    assert world.instance.unit_id == world.org.units["nord"].id and changes(world) == []

    sven = world.org.staff["syd"]
    done = send(bodil, world.path("overlamna"), {"unit": syd, "clinician": sven.id})
    assert done.status_code == 200 and "Vårdcentral Syd" in done.get_data(as_text=True)
    assert (world.instance.unit_id, world.instance.owner_id) == (syd, sven.id)
    assess = world.task("assess")
    assert (assess.unit_id, assess.assignee_id) == (syd, sven.id)
    assert f"/uppgifter/{assess.id}" in world.staff("syd").get("/uppgifter").get_data(as_text=True)
    assert f"/uppgifter/{assess.id}" not in bodil.get("/uppgifter").get_data(as_text=True)
    assert send(bodil, world.path("paus")).status_code == 403  # no longer Nord's program
    told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "handover")).all()
    assert [m.recipient_id for m in told] == [sven.id]  # the named new owner, nobody on Nord


def test_the_resident_administrator_changes_the_responsible_clinician(world):
    do_homework(world)
    ivar = world.staff("invanaradmin")
    page = ivar.get(world.path("ansvarig")).get_data(as_text=True)
    assert "Kim Kollega" in page
    assert "Bodil Behandlare" not in page.split("<select", 1)[1]  # already responsible
    assert "Sven" not in page  # works on another unit
    bad = send(ivar, world.path("ansvarig"), {"clinician": world.org.staff["syd"].id})
    assert bad.status_code == 400 and world.instance.owner_id == world.org.staff["behandlare"].id

    assert send(ivar, world.path("ansvarig"), {"clinician": world.org.staff["kim"].id}).status_code == 302
    assert world.instance.owner_id == world.org.staff["kim"].id
    assert world.task("assess").assignee_id == world.org.staff["kim"].id
    [row] = changes(world, outcome="allowed")
    assert row.role == "invanaradmin"
    # Bodil is no longer responsible, so she cannot pass it on; Kim now can.
    assert send(world.staff("behandlare"), world.path("ansvarig"), {"clinician": world.org.staff["behandlare"].id}).status_code == 403
    assert send(world.staff("kim"), world.path("ansvarig"), {"clinician": world.org.staff["behandlare"].id}).status_code == 302


def test_an_escalated_flag_leads_the_resident_administrator_to_change_the_clinician(world):
    do_homework(world)
    engine.clock.advance(timedelta(days=2, minutes=1))
    for timer_id in engine.overdue_timer_ids():
        engine.fire_timer(timer_id)
    db.session.commit()
    escalation = world.task("escalate")

    ivar = world.staff("invanaradmin")
    task_page = ivar.get(f"/uppgifter/{escalation.id}").get_data(as_text=True)
    link = re.search(rf'href="({re.escape(world.path("ansvarig"))}\?uppgift=[^"]+)"', task_page)
    assert link, task_page
    choice = ivar.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert f'name="uppgift" value="{escalation.id}"' in choice
    response = send(ivar, world.path("ansvarig"), {"clinician": world.org.staff["kim"].id, "uppgift": escalation.id})
    assert response.headers["Location"].endswith(f"/uppgifter/{escalation.id}")  # back to finish the task

    assert send(ivar, f"/uppgifter/{escalation.id}").status_code == 302
    assert world.task("reassess").assignee_id == world.org.staff["kim"].id
    # The clinician's own task page has no such link.
    assert "/ansvarig" not in world.staff("kim").get(f"/uppgifter/{world.task('reassess').id}").get_data(as_text=True)


@pytest.mark.parametrize("action, data", [("paus", {}), ("avsluta", {"reason": "other"}),
                                          ("overlamna", {"unit": "x"}), ("ansvarig", {"clinician": "x"})])
def test_another_units_clinician_is_refused_and_the_attempt_is_logged(world, action, data):
    response = send(world.staff("syd"), world.path(action), data)
    assert response.status_code == 403
    [row] = pdl_rows(resource_id=world.instance_id, outcome="denied")
    assert (row.actor_id, row.resident_id, row.action) == (world.org.staff["syd"].id, world.org.residents["anna"].id,
                                                           "update")
    assert world.instance.status == "running" and world.instance.owner_id == world.org.staff["behandlare"].id


def test_residents_and_the_wrong_roles_are_refused(world):
    anna = world.resident()
    assert send(anna, world.path("paus")).status_code == 403
    assert anna.get(world.path("avsluta")).status_code == 403
    ivar = world.staff("invanaradmin")  # absence handling only: no pausing or ending
    assert send(ivar, world.path("paus")).status_code == 403
    assert send(ivar, world.path("avsluta"), {"reason": "other"}).status_code == 403
    kim = world.staff("kim")  # a colleague, but not the responsible clinician
    assert send(kim, world.path("ansvarig"), {"clinician": world.org.staff["kim"].id}).status_code == 403
    assert world.instance.status == "running" and world.instance.owner_id == world.org.staff["behandlare"].id


def test_every_form_needs_its_csrf_token(world):
    bodil = world.staff("behandlare")
    csrf_token(bodil, "/")  # a page was shown, so the session has a token; the post lacks it
    for action, data in [("paus", {}), ("avsluta", {"reason": "other"}),
                         ("overlamna", {"unit": world.org.units["syd"].id}),
                         ("ansvarig", {"clinician": world.org.staff["kim"].id})]:
        assert bodil.post(world.path(action), data=data).status_code == 400
    assert world.instance.status == "running" and world.instance.unit_id == world.org.units["nord"].id
    assert changes(world) == []


def test_the_program_page_offers_what_the_viewer_may_do(world):
    bodil_actions = available_actions(_principal(world, "behandlare"), world.instance)
    assert set(bodil_actions) == {"pause", "end", "hand_over", "reassign"}
    assert [u.name for u in bodil_actions["hand_over"]["units"]] == ["Vårdcentral Syd"]
    assert [c.name for c in bodil_actions["reassign"]["clinicians"]] == ["Kim Kollega"]
    assert set(available_actions(_principal(world, "invanaradmin"), world.instance)) == {"reassign"}
    assert set(available_actions(_principal(world, "kim"), world.instance)) == {"pause", "end", "hand_over"}
    engine.pause(world.instance_id, engine.SYSTEM)
    db.session.commit()
    assert set(available_actions(_principal(world, "behandlare"), world.instance)) == {
        "resume", "end", "hand_over", "reassign"}


def _principal(world, key) -> Principal:
    """The principal a sign-in on the staff member's (only) assignment gives."""
    member = world.org.staff[key]
    assignment = valid_assignments(member.id)[0]
    grants = [g for g in active_grants(member.id) if g.scope_type == "unit" and g.scope_id == assignment.unit_id]
    return Principal(kind="staff", id=member.id, display_name=member.display_name, auth_method="password_totp",
                     session_hash="x", assignment=assignment, grants=grants, roles={g.role for g in grants})
