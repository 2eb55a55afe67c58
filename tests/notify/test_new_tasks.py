"""Who hears about a new task: the resident about their steps (not the one they opened themselves),
staff only about flagged tasks and escalations; the texts never name anyone or anything."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

import engine
from engine.db import db
from notify import new_tasks
from notify.models import OutboxMessage
from cli import demo_people


def outcome(*tasks):
    return SimpleNamespace(new_tasks=tasks)


def rows() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.recipient)))


def test_a_resident_hears_about_a_step_someone_else_opened_but_not_their_own_next_step(ctx):
    org = demo_people.seed()
    anna = org.residents["anna"]
    anna.email, anna.phone = "anna@example.se", "0701234567"
    step = engine.NewTask("t1", "invanare", anna.id, org.units["nord"].id)
    assert new_tasks.enqueue_for(outcome(step), completed_by=anna.id) == []
    assert len(new_tasks.enqueue_for(outcome(step))) == 2  # e-mail and SMS
    assert {r.kind for r in rows()} == {"new_task"}


def test_a_flagged_task_reaches_the_responsible_clinician_only(ctx):
    org = demo_people.seed()
    bodil = org.staff["behandlare"]
    flagged = engine.NewTask("t2", "behandlare", bodil.id, org.units["nord"].id, priority=0)
    normal = engine.NewTask("t3", "behandlare", bodil.id, org.units["nord"].id, priority=2)
    new_tasks.enqueue_for(outcome(flagged, normal))
    (message,) = rows()
    assert (message.recipient, message.kind, message.channel) == (bodil.email, "priority_task", "email")
    assert message.subject == "Prioriterad uppgift i Vårdflöde"
    assert bodil.family_name not in message.body and "PHQ" not in message.body


def test_an_escalation_reaches_every_resident_administrator_of_the_unit(ctx):
    org = demo_people.seed()
    nord = org.units["nord"].id
    escalation = engine.NewTask("t4", "invanaradmin", None, nord, priority=2)
    new_tasks.enqueue_for(outcome(escalation))
    expected = sorted(s.email for s in org.staff.values()
                      if s.email and any(g.role == "invanaradmin" and g.scope_id == nord and g.revoked_at is None
                                         for g in grants_of(s)))
    assert expected and [r.recipient for r in rows()] == expected


def test_an_escalation_twice_is_one_message_each(ctx):
    org = demo_people.seed()
    escalation = engine.NewTask("t5", "invanaradmin", None, org.units["nord"].id)
    first = new_tasks.enqueue_for(outcome(escalation))
    assert first and new_tasks.enqueue_for(outcome(escalation)) == []


def grants_of(staff):
    from access.models import RoleGrant
    return db.session.scalars(select(RoleGrant).where(RoleGrant.staff_id == staff.id)).all()
