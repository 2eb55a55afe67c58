"""The purge removes exactly an ended program's working material by the care provider's rule,
keeps the logs and the history, never touches running or paused programs, works in batches and
is idempotent (R44–R47). Runs on SQLite and PostgreSQL (VARDFLODE_TEST_DATABASE_URL)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

import engine
from access.records import PdlEntry
from engine.db import db
from engine.models import InstanceEvent, ProcessInstance
from messaging.models import Message
from purging import journal, process, purge, rules
from tests.purging.support import NOW, ended, organisation, pdl_entry, running, version_of_kind


def _messages(org, resident, unit) -> int:
    return db.session.scalar(select(func.count()).select_from(Message).where(
        Message.resident_id == org.residents[resident].id, Message.unit_id == org.units[unit].id))


def _state(instance_id) -> bytes:
    return db.session.scalar(select(ProcessInstance.state).where(ProcessInstance.id == instance_id))


def _setting(ctx, publish):
    org = organisation()
    treatment, education = version_of_kind(publish, "treatment"), version_of_kind(publish, "education")
    clinician = org.staff["behandlare"]
    found = {
        # treatment, ended 40 days ago, the clinician confirmed: due (default: confirmation, 30 days)
        "anna": ended(treatment, org, "nord", "anna", 40, owner=clinician),
        # treatment, ended 40 days ago, not confirmed: waits for the clinician
        "bo": ended(treatment, org, "nord", "bo", 40, owner=clinician),
        # education, ended 100 days ago: due (default: 90 days); 10 days ago: not yet
        "fredrik": ended(education, org, "syd", "fredrik", 100),
        "elsa": ended(education, org, "syd", "elsa", 10),
        # another care provider's program: never this provider's run
        "david": ended(education, org, "privat", "david", 400),
        "hugo": running(treatment, org, "nord", "hugo"),
        "cecilia": running(treatment, org, "nord", "cecilia"),
    }
    engine.pause(found["cecilia"], engine.SYSTEM)
    journal.confirm(found["anna"], clinician.id)
    db.session.commit()
    return org, found


def test_a_run_purges_the_due_working_material_and_keeps_logs_and_history(ctx, publish):
    org, ids = _setting(ctx, publish)
    pdl_entry(org, NOW - timedelta(days=6 * 366))  # past five years: goes
    pdl_entry(org, NOW - timedelta(days=4 * 365))  # within: stays
    history_before = {k: len(engine.history(v)) for k, v in ids.items()}
    hugo_state, cecilia_state = _state(ids["hugo"]), _state(ids["cecilia"])

    run = process.run_now(org.providers["region"].id, pdl_years=5, commit=db.session.commit)
    db.session.commit()

    purged = {k for k, v in ids.items() if engine.instance(v).purged_at is not None}
    assert purged == {"anna", "fredrik"}
    for key in ("anna", "fredrik"):
        tombstone = engine.instance(ids[key])
        assert _state(ids[key]) == b""
        assert tombstone.status == "ended" and tombstone.ended_at is not None and tombstone.unit_id
        # the history stays (no health data in it), with the purge as its last line
        events = engine.history(ids[key])
        assert len(events) == history_before[key] + 1 and events[-1].kind == "purged"
        assert engine.instance_progress(ids[key]).completed == ()
    # running and paused programs: state, status and conversation untouched
    assert _state(ids["hugo"]) == hugo_state and _state(ids["cecilia"]) == cecilia_state
    assert engine.instance(ids["cecilia"]).status == "paused"
    assert _messages(org, "hugo", "nord") == 1 and _messages(org, "cecilia", "nord") == 1
    # the purged programs' conversations went; the waiting ones' stayed
    assert _messages(org, "anna", "nord") == 0 and _messages(org, "fredrik", "syd") == 0
    assert _messages(org, "bo", "nord") == 1 and _messages(org, "elsa", "syd") == 1
    assert _messages(org, "david", "privat") == 1 and engine.instance(ids["david"]).purged_at is None
    # the PDL log keeps what is younger than its retention
    assert db.session.scalar(select(func.count()).select_from(PdlEntry)) == 1
    # the report: counts only
    assert run.state == "done" and run.planned == 2
    assert run.counts["programs"] == 2 and run.counts["messages"] == 2 and run.counts["pdl_entries"] == 1


def test_a_second_run_purges_nothing_and_says_so(ctx, publish):
    org, ids = _setting(ctx, publish)
    process.run_now(org.providers["region"].id, commit=db.session.commit)
    db.session.commit()
    events = db.session.scalar(select(func.count()).select_from(InstanceEvent))
    engine.clock.advance(timedelta(hours=1))

    again = process.run_now(org.providers["region"].id, commit=db.session.commit)
    db.session.commit()

    assert again.planned == 0 and again.counts["programs"] == 0 and again.counts["messages"] == 0
    assert db.session.scalar(select(func.count()).select_from(InstanceEvent)) == events
    assert [r.id for r in process.reports(org.providers["region"].id)][0] == again.id


def test_the_engine_refuses_to_purge_running_or_paused_programs_even_when_asked(ctx, publish):
    org, ids = _setting(ctx, publish)
    counts = engine.purge_instances([ids["hugo"], ids["cecilia"], ids["bo"], ids["bo"]])
    db.session.commit()
    assert counts["programs"] == 1  # only Bo's ended one (the rules are the caller's)
    assert engine.instance(ids["hugo"]).purged_at is None and engine.instance(ids["cecilia"]).purged_at is None
    assert engine.purge_instances([ids["bo"]])["programs"] == 0  # a second purge changes nothing


def test_a_rule_of_the_provider_decides_what_is_due(ctx, publish):
    org, ids = _setting(ctx, publish)
    region = org.providers["region"].id
    rules.save(region, "treatment", False, 30, org.staff["vardgivaradmin"].id)  # no confirmation needed
    rules.save(region, "education", False, 5, org.staff["vardgivaradmin"].id)
    db.session.commit()
    run = process.run_now(region, commit=db.session.commit)
    purged = {k for k, v in ids.items() if engine.instance(v).purged_at is not None}
    assert purged == {"anna", "bo", "fredrik", "elsa"} and run.counts["programs"] == 4


def test_many_programs_go_in_batches_each_its_own_transaction(ctx, publish):
    org = organisation()
    education = version_of_kind(publish, "education")
    ids = [ended(education, org, "syd", "fredrik", 100 + n) for n in range(7)]
    commits = []

    def commit():
        commits.append(db.session.scalar(select(func.count()).select_from(ProcessInstance).where(
            ProcessInstance.purged_at.is_not(None))))
        db.session.commit()
    run = process.run_now(org.providers["region"].id, batch_size=3, commit=commit)
    db.session.commit()
    assert run.batches == 3 and commits == [3, 6] and run.counts["programs"] == 7
    assert all(engine.instance(i).purged_at is not None for i in ids)
