"""The care provider administrator moves a unit's running programs through the real sign-in: the
catalogue links to the plan, the plan shows per program where it stands now and after (or why it
cannot move), the move needs a confirmation, and the result lists what moved and what did not."""
from __future__ import annotations

from sqlalchemy import select

import catalogue
import engine
from access.records import PdlEntry
from engine.db import db
from tests.support.publishing import publish_approved
from tests.catalogue.test_moves import version
from tests.catalogue.test_screens import change
from tests.web.signin import demo, post, security_events  # noqa: F401

PAGE = "/katalog/flytta"


def running_on_nord(demo):
    """Two programs on 1.0 at Nord (one at the answers, one at the clinician's review); 1.1 has no
    review step and is what new starts use."""
    publisher, by = demo.org.publishers["national"].id, demo.org.staff["utgivare"].id
    old = version("1.0")
    publish_approved(old, publisher, by)
    db.session.commit()
    client = demo.staff("vardgivaradmin")
    change(client, demo, "activate", ["nord"])
    nord = demo.org.units["nord"].id
    ids = [engine.start(old, engine.SYSTEM, unit_id=nord, subject_id=demo.org.residents[r].id).instance_id
           for r in ("anna", "cecilia")]
    answer = next(t for t in engine.ready_tasks(ids[1]) if t.element_id == "answer")
    engine.complete_task(answer.id, engine.SYSTEM, {"q1": 3, "q2": 3})
    new = version("1.1", rename_review=True)
    publish_approved(new, publisher, by)
    db.session.commit()
    return client, nord, old, new, ids


def test_the_plan_the_confirmation_and_the_result(demo):
    client, nord, old, new, (at_answer, at_review) = running_on_nord(demo)
    catalogue_page = client.get("/katalog").text
    link = f"{PAGE}?program=weekly_check&amp;enhet={nord}&amp;fran={old}"
    assert link in catalogue_page
    plan = client.get(link.replace("&amp;", "&"))
    assert plan.status_code == 200
    text = plan.get_data(as_text=True)
    assert text.count("Answer the weekly questions") == 2  # now and after, for the one that can move
    assert "Review the answers" in text  # where the other stands, and why it cannot move
    assert "Anna" not in text and "Cecilia" not in text  # programs, not residents
    form = {"program": "weekly_check", "enhet": nord, "fran": old}
    unconfirmed = post(client, PAGE, form, token_from=link.replace("&amp;", "&"))
    assert unconfirmed.status_code == 400 and 'role="alert"' in unconfirmed.get_data(as_text=True)
    assert engine.instance(at_answer).version_hash == old
    done = post(client, PAGE, {**form, "confirm": "yes"}, token_from=link.replace("&amp;", "&"))
    assert done.status_code == 200
    assert engine.instance(at_answer).version_hash == new and engine.instance(at_review).version_hash == old
    result = done.get_data(as_text=True)
    assert 'role="status"' in result and "Review the answers" in result
    logged = db.session.execute(select(PdlEntry.action, PdlEntry.resource_id)
                                .where(PdlEntry.resource_type == "process_instance")).all()
    assert logged == [("update", at_answer)]
    assert [e.subject for e in security_events("program_instances_moved")] == [nord]
    # The one that could not move still runs on 1.0, so the catalogue still offers the move.
    assert link in client.get("/katalog").text


def test_a_unit_of_another_care_provider_is_refused(demo):
    client, nord, old, new, ids = running_on_nord(demo)
    privat = demo.org.units["privat"].id
    response = client.get(f"{PAGE}?program=weekly_check&enhet={privat}&fran={old}")
    assert response.status_code == 403
    assert {engine.instance(i).version_hash for i in ids} == {old}


def test_bad_input_is_a_clear_answer_not_a_server_error(demo):
    client, nord, old, new, ids = running_on_nord(demo)
    assert client.get(f"{PAGE}?program=weekly_check&enhet={nord}").status_code == 404
    assert client.get(f"{PAGE}?program=weekly_check&enhet=nope&fran={old}").status_code == 404
    wrong = client.get(f"{PAGE}?program=weekly_check&enhet={nord}&fran={new}")  # already what new starts use
    assert wrong.status_code == 400 and 'role="alert"' in wrong.get_data(as_text=True)


def test_a_clinician_cannot_open_the_move(demo):
    client, nord, old, new, ids = running_on_nord(demo)
    clinician = demo.staff("behandlare")
    assert clinician.get(f"{PAGE}?program=weekly_check&enhet={nord}&fran={old}").status_code == 403
