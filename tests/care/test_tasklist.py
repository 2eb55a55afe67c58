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


def test_flagged_tasks_come_first_then_the_soonest_due_then_the_oldest():
    given = [task("new, undated", created=5), task("old, undated", created=1), task("due later", due=3),
             task("overdue", due=-1), task("flagged, undated", priority=1, created=9), task("flagged, due", priority=1, due=7)]
    assert names(tasklist.ordered(given)) == ["flagged, due", "flagged, undated", "overdue", "due later",
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
