"""Training interest (R73) and implementation-support requests (R72): registered for the person's
care provider, each starts its process; national management sees how many wait per care provider
and handles each (booked, answered or closed); a case left waiting reminds national management once;
nobody else handles them."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import engine
from community import reminders, requests
from community.errors import CommunityError, CommunityForbidden
from engine import clock
from engine.db import db
from notify.models import OutboxMessage
from tests.community.support import people


def training(n=4, term="autumn", message="Anna, anna@example.org; Bo, bo@example.org"):
    return requests.Draft(kind="training", message=message, participants=n, preferred_term=term)


def support(message="Vi behöver hjälp att koppla in vår driftorganisation."):
    return requests.Draft(kind="implementation", message=message)


def test_bad_input_is_refused_by_field_before_anything_is_stored(ctx):
    world = people()
    for draft, code in [(training(n=0), "participants"), (training(term="summer"), "preferred_term"),
                        (training(message=" "), "message"), (requests.Draft(kind="coffee", message="x"), "kind")]:
        with pytest.raises(CommunityError) as refused:
            requests.register(world.nord_admin, draft)
        assert refused.value.code == code
    assert requests.own(world.nord_admin) == []
    with pytest.raises(CommunityForbidden):
        requests.register(world.designer, support())  # no care provider to register for


def test_waiting_counts_per_care_provider_and_each_case(ctx):
    world = people()
    a = requests.register(world.nord_admin, training())
    clock.advance(timedelta(minutes=1))
    b = requests.register(world.clinician, support())  # the clinician's unit is Region Nord's
    clock.advance(timedelta(minutes=1))
    c = requests.register(world.syd_admin, support())
    clock.advance(timedelta(minutes=1))
    d = requests.register(world.nord_admin, support())
    assert {a.care_provider_id, b.care_provider_id, d.care_provider_id} == {world.nord.id}
    with pytest.raises(CommunityForbidden):
        requests.overview(world.nord_admin)
    view = requests.overview(world.national)
    assert [(w.care_provider_name, w.training, w.implementation, w.total) for w in view.waiting] == [
        ("Region Nord", 1, 2, 3), ("Region Syd", 0, 1, 1)]
    assert [x.id for x in view.cases] == [a.id, b.id, c.id, d.id]

    requests.handle(world.national, b.id, "answered", "Vi ringer er på tisdag.")
    requests.handle(world.national, a.id, "booked", "Bokade till höstens utbildning.")
    view = requests.overview(world.national)
    assert [(w.care_provider_name, w.training, w.implementation) for w in view.waiting] == [
        ("Region Nord", 0, 1), ("Region Syd", 0, 1)]
    assert [x.id for x in view.cases] == [c.id, d.id, a.id, b.id]  # waiting first
    assert engine.instance(a.instance_id).status == "completed"


def test_handling_checks_the_outcome_and_happens_once(ctx):
    world = people()
    case = requests.register(world.nord_admin, training())
    with pytest.raises(CommunityForbidden):
        requests.handle(world.nord_admin, case.id, "booked", "Själv")
    with pytest.raises(CommunityError) as wrong:
        requests.handle(world.national, case.id, "answered", "Training is booked, not answered")
    assert wrong.value.code == "outcome"
    with pytest.raises(CommunityError) as empty:
        requests.handle(world.national, case.id, "booked", " ")
    assert empty.value.code == "outcome_note"
    requests.handle(world.national, case.id, "closed", "För få anmälda i vår.")
    assert (case.state, case.outcome_note) == ("closed", "För få anmälda i vår.")
    told = {(m.kind, m.recipient) for m in db.session.scalars(select(OutboxMessage))}
    assert told == {("community_request", "national@example.org"), ("community_reply", "nord_admin@example.org")}
    assert all("anmälda" not in m.body for m in db.session.scalars(select(OutboxMessage)))
    with pytest.raises(CommunityError) as again:
        requests.handle(world.national, case.id, "booked", "Ändå")
    assert again.value.code == "not_waiting"
    assert [c.state for c in requests.own(world.nord_admin)] == ["closed"]


def test_a_case_left_waiting_reminds_national_management_once(ctx):
    """Through the timer actor, as the worker runs it."""
    from tasks import actors
    world = people()
    case = requests.register(world.nord_admin, support())
    db.session.commit()
    assert reminders.after_timer(case.instance_id) == []  # nothing has fired yet
    clock.advance(timedelta(days=4))
    assert engine.overdue_timer_ids() == []
    clock.advance(timedelta(days=1, minutes=1))
    for timer_id in engine.overdue_timer_ids():
        actors.fire_timer(timer_id)
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder")).all()
    assert [m.recipient for m in sent] == ["national@example.org"]
    assert "Region Nord" not in sent[0].body and "driftorganisation" not in sent[0].body
    assert reminders.after_timer(case.instance_id) == []  # the same firing is not sent twice
    assert [t.element_id for t in engine.ready_tasks(case.instance_id)] == ["handle_support"]  # still waiting
    requests.handle(world.national, case.id, "answered", "Vi ringer er.")
    assert engine.instance(case.instance_id).status == "completed"
