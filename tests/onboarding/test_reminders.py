"""Reminders after five working days and escalation after ten, sent when the process's timers fire
through the timer actor: to whoever must act, once per firing, with the fixed reminder text."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

import engine
from engine.db import db
from notify.models import OutboxMessage
from onboarding import process
from tasks import actors
from tests.onboarding.test_onboarding import people, region_form  # noqa: F401


def fire_due() -> None:
    for timer_id in engine.overdue_timer_ids():
        actors.fire_timer(timer_id)


def reminders() -> list[tuple[str, str]]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder")
                              .order_by(OutboxMessage.created_at)).all()
    return sorted((row.recipient_id, row.dedupe_key.split(":")[0]) for row in rows if row.channel == "email")


def test_a_review_left_waiting_reminds_national_management_then_escalates(people):
    national = people["national"]
    found = process.submit(national, region_form())  # Monday 2 March 2026
    db.session.commit()
    engine.clock.advance(timedelta(days=6))  # Sunday 8 March: four working days have passed
    fire_due()
    assert reminders() == []
    engine.clock.advance(timedelta(days=1, hours=1))  # Monday 9 March: five
    fire_due()
    fire_due()  # a second sweep sends nothing twice
    assert reminders() == [(national.id, "onboarding")]
    engine.clock.advance(timedelta(days=7))  # Monday 16 March: ten working days
    fire_due()
    assert reminders() == [(national.id, "onboarding"), (national.id, "onboarding")]
    assert [t.element_id for t in engine.ready_tasks(found.instance_id)] == ["review_application"]


def test_a_completion_left_waiting_reminds_the_applicant(people):
    west = people["west"]
    form = region_form()
    form.update(kind="designverktyget", provider_hsa_id="SE2321000099-0001", units=[],
                publisher_units=[{"hsa_id": "SE2321000099-P001", "name": "Väst utgivare"}])
    found = process.submit(west, form)
    process.review(people["national"], found.id, decision="complete", comment="Utgivaren saknar telefon.")
    db.session.commit()
    engine.clock.advance(timedelta(days=7, hours=1))
    fire_due()
    assert reminders() == [(west.id, "onboarding")]


def test_the_escalation_reaches_the_national_management_lead_once_one_is_appointed(people):
    from access import directory, national as team
    national = people["national"]
    lead = directory.create_staff("SE2321000016-NF03", "Lena", "Ledare", email="lena@nf.example.se")
    directory.grant_role(lead, "nationell_forvaltning", "platform", None, granted_by=national.id)
    team.appoint_lead(lead.id, national.id)
    process.submit(national, region_form())
    db.session.commit()
    engine.clock.advance(timedelta(days=7, hours=1))  # five working days: the reminder, to the whole team
    fire_due()
    assert reminders() == sorted([(national.id, "onboarding"), (lead.id, "onboarding")])
    engine.clock.advance(timedelta(days=7))  # ten: the escalation, to the lead alone
    fire_due()
    assert reminders() == sorted([(national.id, "onboarding"), (lead.id, "onboarding"), (lead.id, "onboarding")])
