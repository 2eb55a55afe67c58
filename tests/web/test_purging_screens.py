"""Purging through the screens: the clinician's list of ended programs waiting for "transferred
to the record" and the confirmation (PDL rows for both), the resident's "how long it is kept",
before and after the purge, and the care provider administrator's rule page and run reports."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

import engine
from engine.db import db
from purging import process, rules
from purging.models import JournalTransfer, PurgeRule
from tests.web.signin import demo, pdl_rows, post, security_events, sign_in_resident  # noqa: F401

EN = {"Accept-Language": "en"}


def _end(demo, key):
    engine.end(demo.instances[key], engine.SYSTEM, "completed_early")
    db.session.commit()
    return demo.instances[key]


def test_a_clinician_confirms_the_record_transfer_and_the_resident_is_told_when_it_goes(demo):
    anna = _end(demo, "anna")
    resident = sign_in_resident(demo.client(), demo.resident("anna").id)
    page = resident.get(f"/mina-program/{anna}", headers=EN).get_data(as_text=True)
    assert 'class="purge-waiting"' in page and "your clinician will write down" in page.lower()

    bodil = demo.staff("behandlare")
    assert 'id="journal-confirm"' in bodil.get(f"/invanare/{demo.resident('anna').id}/program/{anna}").get_data(as_text=True)
    listed = bodil.get("/journalforing", headers=EN).get_data(as_text=True)
    assert f"/program/{anna}/journalford" in listed and "Anna Andersson" in listed
    assert demo.instances["cecilia"] not in listed  # still running: nothing to confirm
    assert [r.action for r in pdl_rows(resource_id=anna, actor_id=demo.org.staff["behandlare"].id)][-1] == "list"
    sven = demo.staff("syd")  # another unit: nothing of Nord's
    assert anna not in sven.get("/journalforing").get_data(as_text=True)
    assert post(sven, f"/program/{anna}/journalford", {}, token_from="/journalforing").status_code == 403

    done = post(bodil, f"/program/{anna}/journalford", {}, token_from="/journalforing")
    assert done.status_code == 302
    assert db.session.get(JournalTransfer, anna).confirmed_by == demo.org.staff["behandlare"].id
    assert f"/program/{anna}/journalford" not in bodil.get("/journalforing").get_data(as_text=True)
    assert post(bodil, f"/program/{anna}/journalford", {}, token_from="/journalforing").status_code == 409
    assert "update" in [r.action for r in pdl_rows(resource_id=anna, actor_id=demo.org.staff["behandlare"].id)]

    page = resident.get(f"/mina-program/{anna}", headers=EN).get_data(as_text=True)
    assert 'class="purge-on"' in page and "will be deleted from here on" in page

    engine.clock.advance(timedelta(days=31))
    process.run_now(demo.org.providers["region"].id, commit=db.session.commit)
    db.session.commit()
    resident = sign_in_resident(demo.client(), demo.resident("anna").id)  # a month on: a new session
    bodil = demo.staff("behandlare")
    after = resident.get(f"/mina-program/{anna}", headers=EN)
    assert after.status_code == 200 and 'class="purge-purged"' in after.get_data(as_text=True)
    clinician_view = bodil.get(f"/invanare/{demo.resident('anna').id}/program/{anna}", headers=EN)
    assert clinician_view.status_code == 200  # the tombstone still has a page: no answers left on it
    assert 'id="purged-note"' in clinician_view.get_data(as_text=True)


def test_a_running_program_tells_the_resident_the_rule_ahead(demo):
    region = demo.org.providers["region"].id
    rules.save(region, "treatment", False, 45, demo.org.staff["vardgivaradmin"].id)
    db.session.commit()
    resident = sign_in_resident(demo.client(), demo.resident("anna").id)
    page = resident.get(f"/mina-program/{demo.instances['anna']}", headers=EN).get_data(as_text=True)
    assert 'class="purge-running"' in page and "kept here for 45 days" in page


def test_the_administrator_edits_the_rule_and_reads_the_reports(demo):
    vera = demo.staff("vardgivaradmin")
    page = vera.get("/gallring", headers=EN).get_data(as_text=True)
    assert 'id="rule-treatment"' in page and 'id="rule-education"' in page
    assert "No purge run has finished yet." in page
    region = demo.org.providers["region"].id
    bad = post(vera, "/gallring", {"provider_id": region, "program_kind": "education", "days": "ninety"})
    assert bad.status_code == 400 and 'id="days-education-error"' in bad.get_data(as_text=True)
    assert db.session.scalar(select(PurgeRule)) is None  # nothing saved
    elsewhere = post(vera, "/gallring", {"provider_id": demo.org.providers["privat"].id,
                                         "program_kind": "education", "days": "5"})
    assert elsewhere.status_code == 403
    saved = post(vera, "/gallring", {"provider_id": region, "program_kind": "education", "days": "60"})
    assert saved.status_code == 302
    assert rules.rules_of(region)["education"].days == 60 and not rules.rules_of(region)["education"].needs_confirmation
    assert security_events("purge_rule_changed")[-1].detail == "education"

    process.run_now(region, commit=db.session.commit)
    db.session.commit()
    page = vera.get("/gallring", headers=EN).get_data(as_text=True)
    assert page.count('class="purge-run"') == 1 and "nothing to purge" in page
    bodil = demo.staff("behandlare")
    assert bodil.get("/gallring").status_code == 403
