"""Submitting and reviewing in the screens: the designer submits from the program page, the
publisher finds it under Granskning, reads what changed and decides; a send-back reaches the
designer's program page with the comment; the approved version is in the catalogue."""
from __future__ import annotations

import catalogue
from catalogue.models import CatalogueEntry
from design.models import DesignSubmission
from engine.db import db
from tests.web.signin import csrf_token, demo, security_events  # noqa: F401
from tests.web.test_design_screens import create


def submit(client, program_id, label="1.0", notes="Första versionen: en fråga om hur man mår."):
    path = f"/design/program/{program_id}"
    return client.post(f"{path}/skicka-in", data={"version_label": label, "release_notes": notes,
                                                   "csrf_token": csrf_token(client, path)})


def decide(client, submission_id, decision, kind="major", comment=""):
    path = f"/granskning/{submission_id}"
    return client.post(path, data={"decision": decision, "change_kind": kind, "comment": comment,
                                   "csrf_token": csrf_token(client, path)})


def only_submission() -> DesignSubmission:
    db.session.expire_all()
    [found] = db.session.query(DesignSubmission).filter_by(state="submitted").all()
    return found


def test_submit_review_send_back_and_approve(demo):
    designer, publisher = demo.staff("designer"), demo.staff("utgivare")
    program_id = create(designer, "Måendekoll")
    assert submit(designer, program_id).status_code == 303
    first = only_submission()
    assert "Version 1.0 granskas sedan" in designer.get(f"/design/program/{program_id}").text

    waiting = publisher.get("/granskning").text
    assert "Måendekoll, version 1.0" in waiting and f"/granskning/{first.id}" in waiting
    page = publisher.get(f"/granskning/{first.id}").text
    assert "Första versionen: en fråga om hur man mår." in page  # the release notes
    assert "Första publiceringen" in page and 'name="decision"' in page

    refused = decide(publisher, first.id, "send_back")
    assert refused.status_code == 400 and 'role="alert"' in refused.text  # a send-back needs a comment
    assert decide(publisher, first.id, "send_back", comment="Lägg till ett exempel.").status_code == 303
    program_page = designer.get(f"/design/program/{program_id}").text
    assert "Lägg till ett exempel." in program_page and "skickade tillbaka version 1.0" in program_page

    assert submit(designer, program_id, notes="Med exempel.").status_code == 303
    second = only_submission()
    assert second.base_version_hash is None  # still compared with nothing published
    assert decide(publisher, second.id, "approve").status_code == 303
    entry = db.session.get(CatalogueEntry, second.version_hash)
    assert entry is not None and entry.version_label == "1.0"
    assert [e.kind for e in catalogue.audit.trail(entry.program_key)] == [
        "submitted", "sent_back", "submitted", "approved", "published"]


def test_the_designer_who_made_the_draft_is_not_offered_the_review(demo):
    designer = demo.staff("designer")
    program_id = create(designer, "Egen granskning")
    submit(designer, program_id)
    submission = only_submission()
    assert designer.get("/granskning").status_code == 403  # no publisher role
    assert decide(designer, submission.id, "approve").status_code == 403
    assert db.session.get(CatalogueEntry, submission.version_hash) is None


def test_a_label_that_is_not_a_version_is_refused_and_what_was_typed_is_kept(demo):
    designer = demo.staff("designer")
    program_id = create(designer, "Etikett")
    refused = submit(designer, program_id, label="ett", notes="Mina anteckningar")
    assert refused.status_code == 400 and "Mina anteckningar" in refused.text and 'role="alert"' in refused.text
    assert db.session.query(DesignSubmission).count() == 0


def test_the_catalogue_shows_each_version_with_its_release_notes_and_the_programs_audit_trail(demo):
    designer, publisher = demo.staff("designer"), demo.staff("utgivare")
    program_id = create(designer, "Historik")
    submit(designer, program_id, notes="Första versionen med en fråga.")
    decide(publisher, only_submission().id, "approve")
    key = db.session.get(CatalogueEntry, db.session.query(DesignSubmission).one().version_hash).program_key
    admin = demo.staff("vardgivaradmin")
    assert f"/katalog/program/{key}" in admin.get("/katalog").text
    page = admin.get(f"/katalog/program/{key}").text
    assert "Version 1.0, publicerad" in page and "Första versionen med en fråga." in page
    assert "Publicerad av Nationella programredaktionen." in page
    for step in ("Inskickad för granskning", "Godkänd", "Publicerad"):
        assert step in page
    assert "Dora Designer" in page and "Ulf Utgivare" in page
    assert admin.get("/katalog/program/finns_inte").status_code == 404
    assert designer.get(f"/katalog/program/{key}").status_code == 403


def test_a_submission_with_a_failing_scenario_is_refused_naming_it_and_why(demo):
    from tests.web.test_design_scenarios import import_sleep

    def broken(name, data):
        if name != "scenarios/low_scores.json":
            return data
        return data.replace(b'"reached": [', b'"reached": ["nowhere", ', 1)
    designer = demo.staff("designer")
    refused = submit(designer, import_sleep(designer, demo, broken))
    assert refused.status_code == 400 and 'role="alert"' in refused.text
    assert "Scenarier som inte går igenom" in refused.text  # the reason in the page's language
    assert "low_scores.json: &#39;nowhere&#39; was never reached" in refused.text
    assert db.session.query(DesignSubmission).count() == 0
