"""The care provider administrator moves a unit's running programs in a real browser at 320 px, in
Swedish and English: the catalogue's link, the plan, the confirmation (the browser will not send
it unticked), the result; no sideways scrolling and nothing serious for axe on any of them."""
from __future__ import annotations

import pytest

import catalogue
import engine
from cli import demo_people
from engine.db import db
from tests.support.publishing import publish_approved
from tests.browser.test_reflow import LANGUAGES, check_current, staff_page
from tests.catalogue.test_moves import version


@pytest.fixture()
def two_running(ctx):
    org = demo_people.seed()
    publisher, by = org.publishers["national"].id, org.staff["utgivare"].id
    old = version("1.0")
    publish_approved(old, publisher, by)
    nord = org.units["nord"].id
    catalogue.activate("weekly_check", [nord], org.staff["vardgivaradmin"].id)
    ids = [engine.start(old, engine.SYSTEM, unit_id=nord, subject_id=f"r{n}").instance_id for n in range(2)]
    answer = next(t for t in engine.ready_tasks(ids[1]) if t.element_id == "answer")
    engine.complete_task(answer.id, engine.SYSTEM, {"q1": 3, "q2": 3})
    new = version("1.1", rename_review=True)
    publish_approved(new, publisher, by)
    db.session.commit()
    return ids, old, new


@pytest.mark.parametrize("locale, lang", LANGUAGES)
def test_the_move_in_a_narrow_browser(chromium, live_server, two_running, locale, lang):
    (at_answer, at_review), old, new = two_running
    page = staff_page(chromium, live_server, locale, "vardgivaradmin")
    problems: list[str] = []
    page.goto("/katalog")
    page.click("a[href*='/katalog/flytta']")
    page.wait_for_load_state()
    check_current(page, lang, problems)
    assert page.locator("main table tbody tr").count() == 2
    page.click("main form button[type=submit]")  # unticked: the browser keeps the form
    assert engine.instance(at_answer).version_hash == old
    page.check("#confirm")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    check_current(page, lang, problems)
    assert problems == []
    assert page.locator("[role=status]").count() == 1
    db.session.expire_all()
    assert engine.instance(at_answer).version_hash == new and engine.instance(at_review).version_hash == old
