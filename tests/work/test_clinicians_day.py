"""The clinician's day on the real pages: every step on the list has a due time, the overdue ones
lead it and fill "Overdue", priority is a shape and a word, and a resident handed over to the unit
is a step of its own until someone takes them over."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

import engine
from cli import demo_people
from engine.db import db
from tests.conftest import FIXTURES
from tests.web.signin import post, sign_in_staff

TUESDAY = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)  # 10:00 in Stockholm


@pytest.fixture()
def org(ctx):
    engine.clock.freeze(TUESDAY)
    seeded = demo_people.seed()
    db.session.commit()
    return seeded


def review_for(org, version, key):
    """The resident answers; the clinician's review of it opens on Nord."""
    started = engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id, subject_id=org.residents[key].id,
                           owner_id=org.staff["behandlare"].id).instance_id
    db.session.commit()
    [answer] = engine.ready_tasks(started)
    engine.complete_task(answer.id, engine.Actor(org.residents[key].id, frozenset({("invanare", None)})), {"q1": 3, "q2": 3})
    db.session.commit()
    return started


def rows_of(page: str) -> list[str]:
    return re.findall(r"<tr[ >].*?</tr>", page, re.S)[1:]


def test_the_list_shows_each_steps_due_time_and_puts_the_overdue_first(ctx, org, publish):
    version = publish(FIXTURES / "simple")
    review_for(org, version, "anna")  # Tuesday: due Thursday 10:00
    engine.clock.advance(timedelta(days=2))
    review_for(org, version, "bo")  # Thursday: due the next Monday 10:00 (the weekend does not count)
    engine.clock.advance(timedelta(hours=1))  # Thursday 11:00: Anna's review is an hour overdue

    clinician = sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id)
    rows = rows_of(clinician.get("/uppgifter").get_data(as_text=True))
    assert "Anna Andersson" in rows[0] and "2026-11-26 10:00" in rows[0] and 'class="flag overdue"' in rows[0]
    assert "Bo Berg" in rows[1] and "2026-11-30 10:00" in rows[1] and "overdue" not in rows[1]
    overdue = clinician.get("/uppgifter?visa=forsenade").get_data(as_text=True)
    assert re.search(r"(Försenade|Overdue) \(1\)", overdue)
    assert [("Anna Andersson" in r, "Bo Berg" in r) for r in rows_of(overdue)] == [(True, False)]


def test_a_handed_over_resident_is_a_flagged_step_on_the_new_units_list_until_taken_over(ctx, org, publish):
    started = review_for(org, publish(FIXTURES / "simple"), "anna")
    engine.hand_over(started, engine.SYSTEM, org.units["syd"].id)
    db.session.commit()

    sven = sign_in_staff(ctx.test_client(), org.staff["syd"].hsa_id)
    page = sven.get("/uppgifter").get_data(as_text=True)
    [handed] = [r for r in rows_of(page) if "flag-attention" in r]
    assert re.search(r"New resident handed over|Ny invånare överlämnad", handed) and "Anna Andersson" in handed
    assert re.search(r"Attention|Observera", handed) and "<svg" in handed  # a shape and a word
    assert "2026-11-26 10:00" in handed  # two working days to take the resident over
    path = re.search(r'href="(/uppgifter/[0-9a-f-]+)"', handed).group(1)
    screen = sven.get(path).get_data(as_text=True)
    assert re.search(r">\s*(Taken over|Övertagen)\s*</button>", screen)

    assert post(sven, path, {}).status_code == 302
    after = sven.get("/uppgifter").get_data(as_text=True)
    assert "flag-attention" not in after and not re.search(r"New resident handed over|Ny invånare överlämnad", after)
    assert "Review the answers" in after  # the program's own step stays on the list
    assert post(sven, path, {}, token_from="/uppgifter").status_code == 409
    assert [e.kind for e in engine.history(started)][-2:] == ["handed_over", "taken_over"]


def test_the_hand_over_step_is_not_a_step_of_the_program_on_the_residents_page(ctx, org, publish):
    from care import program_pages
    started = engine.start(publish(FIXTURES / "simple"), engine.SYSTEM, unit_id=org.units["nord"].id,
                           subject_id=org.residents["anna"].id).instance_id
    engine.hand_over(started, engine.SYSTEM, org.units["syd"].id)
    db.session.commit()
    assert {t.element_id for t in engine.ready_tasks(started)} >= {engine.HANDOVER_TASK}
    page = program_pages.for_resident(org.residents["anna"].id, engine.instance(started))
    assert not page.clinic_is_working and len(page.my_tasks) == 1
