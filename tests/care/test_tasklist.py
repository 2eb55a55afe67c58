"""The clinician's task list without a request: its order, its filters, and the residents and
paused programs beside the tasks (care.tasklist)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

import engine
from access import pdl
from access.records import PdlChainHead
from care import tasklist
from engine.db import db
from engine.models import HumanTask
from tests.care.people import principal, seeded
from tests.support import bpmn
from tests.web.signin import pdl_rows

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


def review_program() -> dict:
    return {"review.bpmn": bpmn.linear("review", bpmn.user_task("assess", name="Bedöm"), "assess")}


def unit_with_tasks(publish, org, shapes: dict) -> dict:
    """One started review per shape on Nord, its open step renamed and given the shape's priority,
    due time (days from NOW) and age; returns name -> instance id."""
    version = publish(review_program())
    started = {}
    for name, shape in shapes.items():
        started[name] = engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id,
                                     subject_id=org.residents["anna"].id).instance_id
        due = shape.get("due")
        db.session.execute(update(HumanTask).where(HumanTask.instance_id == started[name]).values(
            name=name, priority=shape.get("priority", 2), assignee_id=shape.get("assignee"),
            due_at=NOW + timedelta(days=due) if due is not None else None,
            created_at=NOW - timedelta(days=10 - shape.get("created", 0))))
    db.session.commit()
    return started


def names(found) -> list[str]:
    return [t.name for t in found.tasks]


def test_overdue_tasks_come_first_then_flagged_then_the_soonest_due_then_the_oldest(ctx, publish):
    org = seeded()
    unit_with_tasks(publish, org, {
        "new, undated": dict(created=5), "old, undated": dict(created=1), "due later": dict(due=3),
        "overdue": dict(due=-1), "flagged, undated": dict(priority=1, created=9), "flagged, due": dict(priority=1, due=7),
        "long overdue": dict(due=-3), "high, due": dict(priority=0, due=9), "overdue, flagged": dict(priority=1, due=-1)})
    engine.clock.freeze(NOW)

    found = tasklist.task_list(principal(org.staff["behandlare"]), ["behandlare"], None, "req-order")

    assert names(found) == ["overdue, flagged", "long overdue", "overdue", "high, due", "flagged, due",
                            "flagged, undated", "due later", "old, undated", "new, undated"]


def test_each_filter_lists_and_counts_what_its_name_says(ctx, publish):
    org = seeded()
    bodil = principal(org.staff["behandlare"])
    unit_with_tasks(publish, org, {
        "flagged": dict(priority=1), "overdue": dict(due=-1), "due tomorrow": dict(due=1),
        "mine": dict(assignee=bodil.id), "someone else's": dict(assignee="kim")})
    engine.clock.freeze(NOW)

    def listed(name):
        found = tasklist.task_list(bodil, ["behandlare"], name, "req-filter")
        assert found.counts[name] == len(found.tasks)
        return set(names(found))
    assert listed("alla") == {"flagged", "overdue", "due tomorrow", "mine", "someone else's"}
    assert listed("flaggade") == {"flagged"}
    assert listed("forsenade") == {"overdue"}
    assert listed("mina") == {"mine"}


def test_the_list_pages_by_fifty_and_an_overdue_task_leads_however_many_wait(ctx, publish):
    org = seeded()
    shapes = {f"step {n:03}": dict(created=n / 1000) for n in range(120)}
    shapes["late"] = dict(due=-1, created=9)  # the newest task, and the only overdue one
    unit_with_tasks(publish, org, shapes)
    engine.clock.freeze(NOW)
    bodil = principal(org.staff["behandlare"])

    first = tasklist.task_list(bodil, ["behandlare"], None, "req-p1")
    third = tasklist.task_list(bodil, ["behandlare"], None, "req-p3", page=3)
    beyond = tasklist.task_list(bodil, ["behandlare"], None, "req-p9", page=9)

    assert (first.counts["alla"], first.pages, len(first.tasks)) == (121, 3, 50)
    assert names(first)[:2] == ["late", "step 000"]
    assert names(third) == [f"step {n:03}" for n in range(99, 120)]
    assert (beyond.page, names(beyond)) == (3, names(third))  # past the end: the last page


def test_a_page_view_logs_every_resident_it_shows_in_one_batch_of_consecutive_entries(ctx, publish):
    org = seeded()
    version = publish(review_program())
    for key in ("anna", "bo"):
        engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id, subject_id=org.residents[key].id)
    db.session.commit()
    head_before = db.session.get(PdlChainHead, 1)
    before = head_before.seq if head_before else 0

    tasklist.task_list(principal(org.staff["behandlare"]), ["behandlare"], None, "req-batch")
    db.session.commit()

    rows = pdl_rows(request_id="req-batch")
    assert sorted(r.resident_id for r in rows) == sorted(org.residents[k].id for k in ("anna", "bo"))
    assert [r.seq for r in sorted(rows, key=lambda r: r.seq)] == [before + 1, before + 2]
    assert pdl.verify().ok


@pytest.mark.parametrize("asked", [None, "", "okänd", "ALLA"])
def test_an_unknown_filter_shows_every_task(asked):
    assert tasklist.chosen_filter(asked) == "alla"


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
