"""The clinician's task list without a request: its order, its filters, and the residents and
paused programs beside the tasks (care.tasklist)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

import engine
from care import tasklist
from engine.db import db
from tests.care.people import principal, seeded
from tests.support import bpmn
from tests.web.signin import pdl_rows

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


def task(name, *, priority=2, due=None, created=0, assignee=None):
    return SimpleNamespace(name=name, priority=priority, due_at=NOW + timedelta(days=due) if due is not None else None,
                           created_at=NOW - timedelta(days=10 - created), assignee_id=assignee)


def names(tasks) -> list[str]:
    return [t.name for t in tasks]


def test_overdue_tasks_come_first_then_flagged_then_the_soonest_due_then_the_oldest():
    given = [task("new, undated", created=5), task("old, undated", created=1), task("due later", due=3),
             task("overdue", due=-1), task("flagged, undated", priority=1, created=9), task("flagged, due", priority=1, due=7),
             task("long overdue", due=-3), task("high, due", priority=0, due=9), task("overdue, flagged", priority=1, due=-1)]
    assert names(tasklist.ordered(given, NOW)) == [
        "overdue, flagged", "long overdue", "overdue", "high, due", "flagged, due", "flagged, undated", "due later",
        "old, undated", "new, undated"]


def test_each_filter_keeps_what_its_name_says():
    me = SimpleNamespace(id="bodil")
    given = [task("flagged", priority=1), task("overdue", due=-1), task("due tomorrow", due=1),
             task("mine", assignee="bodil"), task("someone else's", assignee="kim")]

    def kept(name):
        return [t.name for t in given if tasklist.FILTERS[name](t, me, NOW)]
    assert kept("alla") == names(given)
    assert kept("flaggade") == ["flagged"]
    assert kept("forsenade") == ["overdue"]
    assert kept("mina") == ["mine"]


@pytest.mark.parametrize("asked", [None, "", "okänd", "ALLA"])
def test_an_unknown_filter_shows_every_task(asked):
    assert tasklist.chosen_filter(asked) == "alla"


def review_program() -> dict:
    return {"review.bpmn": bpmn.linear("review", bpmn.user_task("assess", name="Bedöm"), "assess")}


def test_the_list_shows_the_units_tasks_with_their_residents_logged_and_paused_programs_marked(ctx, publish):
    org = seeded()
    version = publish(review_program())
    started = {key: engine.start(version, engine.SYSTEM, unit_id=org.units[unit].id,
                                 subject_id=org.residents[key].id).instance_id
               for key, unit in (("anna", "nord"), ("bo", "nord"), ("fredrik", "syd"))}
    engine.pause(started["bo"], engine.SYSTEM)
    db.session.commit()

    found = tasklist.task_list(principal(org.staff["behandlare"]), ["behandlare"], "okänd", "req-1")

    assert found.chosen == "alla" and found.counts["alla"] == 2 and found.counts["mina"] == 0
    assert {t.instance_id for t in found.tasks} == {started["anna"], started["bo"]}  # not Syd's
    assert {i: r.id for i, r in found.residents.items()} == {
        started["anna"]: org.residents["anna"].id, started["bo"]: org.residents["bo"].id}
    assert found.paused == {started["bo"]}
    for key in ("anna", "bo"):
        [row] = pdl_rows(resident_id=org.residents[key].id, resource_type="human_task")
        assert (row.action, row.resource_id, row.request_id) == ("list", started[key], "req-1")
    assert pdl_rows(resident_id=org.residents["fredrik"].id) == []


def test_a_step_past_its_due_time_fills_overdue_and_leads_the_list(ctx, publish):
    org = seeded()  # Tuesday 10:00 in Stockholm
    version = publish(review_program())
    bodil = principal(org.staff["behandlare"])
    late = engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id, subject_id=org.residents["anna"].id)
    db.session.commit()
    engine.clock.advance(timedelta(days=1))
    fresh = engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id, subject_id=org.residents["bo"].id)
    db.session.commit()
    [first] = engine.ready_tasks(late.instance_id)
    assert first.due_at == NOW + timedelta(days=2)  # two working days: Thursday 10:00

    engine.clock.advance(timedelta(days=1, hours=1))  # Thursday 11:00: the first is overdue, the second not yet
    found = tasklist.task_list(bodil, ["behandlare"], "forsenade", "req-2")
    assert [t.instance_id for t in found.tasks] == [late.instance_id]
    assert (found.counts["forsenade"], found.counts["alla"]) == (1, 2)
    everything = tasklist.task_list(bodil, ["behandlare"], None, "req-3")
    assert [t.instance_id for t in everything.tasks] == [late.instance_id, fresh.instance_id]


def test_a_handed_over_resident_is_a_task_on_the_receiving_units_list_until_taken_over(ctx, publish):
    org = seeded()
    version = publish(review_program())
    started = engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id,
                           subject_id=org.residents["anna"].id).instance_id
    db.session.commit()
    engine.hand_over(started, principal(org.staff["behandlare"]).engine_actor(), org.units["syd"].id)
    db.session.commit()

    sven = principal(org.staff["syd"])
    found = tasklist.task_list(sven, ["behandlare"], "flaggade", "req-4")
    [handed] = found.tasks
    assert (handed.element_id, handed.priority, handed.due_at) == ("platform:handover", 1, NOW + timedelta(days=2))
    assert found.residents[started].id == org.residents["anna"].id
    assert tasklist.task_list(principal(org.staff["behandlare"]), ["behandlare"], None, "req-5").tasks == []

    engine.complete_task(handed.id, sven.engine_actor())
    db.session.commit()
    assert [t.element_id for t in tasklist.task_list(sven, ["behandlare"], None, "req-6").tasks] == ["assess"]
