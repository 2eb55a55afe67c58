"""Support cases on the real database (R63–R69, R84): each category goes where it belongs (an error
to national support at once, a content question to the publisher unit that owns the program, a
login problem to the identity service's support, anything else to the region's local support);
local support passes a case on to national support; the requester sees the stage and the answer;
a region's support never sees another region's cases; reminders come when nobody answers in time."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

import engine
from cli import simulate
from design import driver
from engine.db import db
from notify.outbox import TABLE as OUTBOX
from support import cases, notices
from support.config import SupportConfig
from support.errors import SupportError, SupportForbidden
from support.models import SupportEvidence
from tests.incidents.support import JPEG, PNG
from tests.support_cases.helpers import draft, world

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
PROCESS = cases.PROCESS
SCENARIOS = sorted((PROCESS / "scenarios").glob("*.json"))


@pytest.fixture()
def setup(ctx, tmp_path):
    engine.clock.freeze(NOW)
    found = world()
    db.session.commit()
    return found, SupportConfig(evidence_dir=tmp_path / "evidence", login_support_url="https://eid.example/support")


def _outbox(kind):
    return list(db.session.execute(select(OUTBOX).where(OUTBOX.c.kind == kind)).mappings())


def _raise(setup, category="other", requester=None, uploads=(), **changes):
    w, config = setup
    case = cases.raise_case(requester or w.people.clinician, draft(category, **changes), list(uploads), config)
    db.session.commit()
    return case


@pytest.mark.parametrize("category, stage, step", [
    ("other", "with_local", "local_handling"), ("error", "with_national", "national_handling"),
    ("content", "with_publisher", "publisher_handling"), ("login", "referred", None)])
def test_each_category_goes_where_it_belongs(setup, category, stage, step):
    case = _raise(setup, category)
    assert case.stage == stage and cases.waiting_step(case) == step
    if category == "login":  # R68: nobody here handles it; the process has ended at the referral
        assert engine.instance(case.instance_id).status == "completed"


def test_an_error_reaches_national_support_at_once_and_the_region_sees_it(setup):
    w, _ = setup
    case = _raise(setup, "error")
    national = {row["recipient_id"] for row in _outbox("support_case_new")}
    assert w.people.national.id in national and w.people.admin.id not in national
    assert case.id in {c.id for c in cases.queue(w.people.national)}
    assert cases.may_act(w.people.national, case)
    # The region's local support sees the error case but it is not theirs to answer.
    assert case.id in {c.id for c in cases.queue(w.people.admin)} and not cases.may_act(w.people.admin, case)
    with pytest.raises(SupportForbidden):
        cases.handle(w.people.admin, case.id, "answer", "Vi tittar på det.")


def test_someone_on_no_care_unit_goes_straight_to_national_support(setup):
    w, _ = setup
    case = _raise(setup, "other", requester=w.publisher)
    assert case.care_provider_id is None and case.stage == "with_national"


def test_local_support_passes_a_case_on_and_national_support_answers(setup):
    w, _ = setup
    case = _raise(setup, "other")
    assert {r["recipient_id"] for r in _outbox("support_case_new")} == {w.people.admin.id}
    cases.handle(w.people.admin, case.id, "pass")
    db.session.commit()
    assert case.stage == "with_national" and case.passed_on
    assert w.people.national.id in {r["recipient_id"] for r in _outbox("support_case_new")}
    with pytest.raises(SupportError) as refused:  # national support answers; there is nobody to pass to
        cases.handle(w.people.national, case.id, "pass")
    assert refused.value.code == "decision"
    cases.handle(w.people.national, case.id, "answer", "Flytten görs under Personal och uppdrag.")
    db.session.commit()
    mine = cases.own_cases(w.people.clinician)
    assert [(c.stage, c.answer) for c in mine] == [("answered", "Flytten görs under Personal och uppdrag.")]
    assert [r["recipient_id"] for r in _outbox("support_case_update")] == [w.people.clinician.id]
    assert engine.instance(case.instance_id).status == "completed"


def test_a_content_question_is_answered_by_the_publisher_unit_that_owns_the_program(setup):
    w, _ = setup
    case = _raise(setup, "content")
    assert case.publisher_unit_id == w.unit_id and case.program_key == "somn"
    assert {r["recipient_id"] for r in _outbox("support_case_new")} == {w.publisher.id}
    assert [c.id for c in cases.queue(w.publisher)] == [case.id]
    assert cases.queue(w.other_designer) == []  # another unit's designers never see it
    with pytest.raises(SupportForbidden):
        cases.case_for(w.other_designer, case.id)
    with pytest.raises(SupportForbidden):  # local support sees its region's case but does not answer content
        cases.handle(w.people.admin, case.id, "answer", "Vet inte.")
    cases.handle(w.publisher, case.id, "answer", "Övningen är frivillig vecka 3.")
    db.session.commit()
    assert cases.case_for(w.people.clinician, case.id).stage == "answered"


def test_a_regions_support_never_sees_another_regions_cases(setup):
    w, _ = setup
    case = _raise(setup, "other")
    assert cases.queue(w.people.other_admin) == []
    with pytest.raises(SupportForbidden):
        cases.case_for(w.people.other_admin, case.id)
    with pytest.raises(SupportForbidden):
        cases.handle(w.people.other_admin, case.id, "answer", "Svar från fel region.")
    with pytest.raises(SupportForbidden):  # a clinician is no handler
        cases.queue(w.people.clinician)
    assert case.stage == "with_local" and case.answer is None


def test_bad_input_names_the_field_and_stores_nothing(setup):
    w, config = setup
    for category, changes, code in [("content", {"program_key": ""}, "program_key"),
                                    ("content", {"program_key": "okant"}, "program_key"),
                                    ("ukategori", {}, "category"), ("other", {"question": "  "}, "question"),
                                    ("other", {"page_url": "javascript:alert(1)"}, "page_url"),
                                    ("other", {"observed_at": NOW + timedelta(days=1)}, "observed_at")]:
        with pytest.raises(SupportError) as refused:
            cases.raise_case(w.people.clinician, draft(category, **changes), [], config)
        assert refused.value.code == code
    from incidents import evidence
    with pytest.raises(SupportError) as refused:
        cases.raise_case(w.people.clinician, draft(), [evidence.Upload("bild.png", JPEG)], config)
    assert refused.value.code == "evidence_mismatch"
    assert cases.own_cases(w.people.clinician) == []


def test_a_screenshot_is_kept_for_the_handlers_only(setup):
    w, config = setup
    from incidents import evidence
    case = _raise(setup, "error", uploads=[evidence.Upload("skarmbild.png", PNG)])
    item = db.session.scalars(select(SupportEvidence)).one()
    assert cases.read_evidence(w.people.national, case.id, item.id, config) == (PNG, "image/png")
    with pytest.raises(SupportForbidden):  # the requester sent it; handlers open it
        cases.read_evidence(w.people.clinician, case.id, item.id, config)


def test_local_support_is_reminded_when_nobody_answers_in_time(setup):
    w, _ = setup
    case = _raise(setup, "other")
    driver.move_clock_to(NOW + timedelta(days=2, hours=1))
    assert "mark_local_overdue" in {e.element_id for e in engine.history(case.instance_id)}
    notices.after_timer(case.instance_id)
    db.session.commit()
    assert {r["recipient_id"] for r in _outbox("reminder")} == {w.people.admin.id}
    assert cases.waiting_step(case) == "local_handling"  # the reminder leaves the case with them


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_simulate_runs_each_scenario_to_its_expected_end(scenario, capsys):
    expect = json.loads(scenario.read_text(encoding="utf-8"))["_expect"]
    code = simulate.main(str(PROCESS), str(scenario))
    out = capsys.readouterr().out
    assert code == 0, out[-2000:]
    assert f"  {expect['end']} " in out and out.rstrip().endswith("END STATE: completed\nEXPECTATIONS MET")
