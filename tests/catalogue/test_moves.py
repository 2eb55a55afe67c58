"""A care provider administrator moves a unit's running programs onto the version its new starts use
(issue 12): a plan per resident, then one transaction per instance, refusals listed and untouched,
a PDL row per moved instance and one security event."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

import catalogue
import engine
from access import directory, pdl
from access.records import PdlEntry
from catalogue import moves
from engine.db import db
from tests.support.publishing import publish_approved
from tests.catalogue.programs import BASE
from tests.conftest import FIXTURES
from tests.web.signin import security_events

RESIDENT_A, RESIDENT_B = "resident-a", "resident-b"


def version(label: str, rename_review: bool = False) -> str:
    files = engine.read_paths([FIXTURES / "simple"])
    files["program.json"] = json.dumps({**BASE, "version": label}).encode()
    if rename_review:  # 1.1 has no step "review": whoever stands there cannot move
        path = next(p for p in files if p.endswith(".bpmn"))
        text = files[path].decode()
        files[path] = re.sub(r'([">])review(["<])', r"\1review_v2\2", text).encode()
    stored = engine.store_version(engine.check_package(files))
    db.session.commit()
    return stored.content_hash


@pytest.fixture()
def unit(ctx):
    region = directory.create_care_provider("SE2321000016-0001", "Region Test")
    nord = directory.create_unit(region, "SE2321000016-1001", "Nord")
    publisher = directory.create_publisher_unit("SE2321000016-P001", "Redaktionen")
    db.session.commit()
    return region.id, nord.id, publisher.id


def admin(provider_id: str) -> pdl.AccessContext:
    return pdl.AccessContext(actor_type="staff", actor_id="va1", actor_name="Vera Admin", role="vardgivaradmin",
                             care_provider_id=provider_id, unit_id=None, assignment_id=None, purpose=None)


@pytest.fixture()
def running(unit):
    """Two residents on 1.0 (one at the answers, one at the clinician's review), then 1.1 published."""
    provider, nord, publisher = unit
    old = version("1.0")
    publish_approved(old, publisher, "utgivare-1")
    catalogue.activate("weekly_check", [nord], "va1")
    db.session.commit()
    ids = [engine.start(old, engine.SYSTEM, unit_id=nord, subject_id=r, owner_id="c1").instance_id
           for r in (RESIDENT_A, RESIDENT_B)]
    answer = next(t for t in engine.ready_tasks(ids[1]) if t.element_id == "answer")
    engine.complete_task(answer.id, engine.Actor(RESIDENT_B, frozenset({("invanare", None)})), {"q1": 3, "q2": 3})
    new = version("1.1", rename_review=True)
    publish_approved(new, publisher, "utgivare-1")
    db.session.commit()
    return provider, nord, old, new, ids


def test_the_plan_says_per_resident_who_can_move_and_why_not(running):
    provider, nord, old, new, (at_answer, at_review) = running
    plan = moves.plan_unit("weekly_check", nord, old)
    assert (plan.from_entry.version_label, plan.to_entry.version_label, plan.movable) == ("1.0", "1.1", 1)
    by_id = {p.instance_id: p for p in plan.instances}
    assert by_id[at_answer].can_move and by_id[at_answer].now == ("Answer the weekly questions",)
    assert [(b.reason, b.element_id) for b in by_id[at_review].blockers] == [("removed", "review")]
    assert engine.instance(at_answer).version_hash == old  # planning changes nothing


def test_the_move_moves_who_can_lists_who_cannot_and_logs_each_move(running):
    provider, nord, old, new, (at_answer, at_review) = running
    result = moves.move_unit("weekly_check", nord, old, admin(provider))
    assert [p.instance_id for p in result.moved] == [at_answer]
    assert [(p.instance_id, [b.element_id for b in p.blockers]) for p in result.refused] == [(at_review, ["review"])]
    assert engine.instance(at_answer).version_hash == new
    assert engine.instance(at_review).version_hash == old and engine.instance(at_review).status == "running"
    logged = db.session.execute(select(PdlEntry.action, PdlEntry.resource_type, PdlEntry.resource_id,
                                       PdlEntry.resident_id)).all()
    assert logged == [("update", "process_instance", at_answer, RESIDENT_A)]
    [event] = security_events("program_instances_moved")
    assert (event.actor_id, event.subject, event.detail) == ("va1", nord, "weekly_check 1.0 -> 1.1: 1 moved, 1 refused")


def test_another_care_providers_administrator_cannot_move_the_units_programs(running):
    provider, nord, old, new, ids = running
    other = directory.create_care_provider("SE2321000016-0002", "Region Annan")
    db.session.commit()
    with pytest.raises(catalogue.CatalogueError):
        moves.move_unit("weekly_check", nord, old, admin(other.id))
    assert {engine.instance(i).version_hash for i in ids} == {old}


def test_there_is_nothing_to_move_to_when_new_starts_use_the_same_version(unit):
    provider, nord, publisher = unit
    only = version("1.0")
    publish_approved(only, publisher, "utgivare-1")
    catalogue.activate("weekly_check", [nord], "va1")
    db.session.commit()
    with pytest.raises(catalogue.CatalogueError) as refused:
        moves.plan_unit("weekly_check", nord, only)
    assert refused.value.code == "already_newest"
