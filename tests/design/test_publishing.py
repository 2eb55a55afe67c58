"""Publishing through approval (R22–R26), on the real database: submit, the publishing_approval
process, four eyes (also for one person holding both roles), the training unit, send back and
submit again against the same published version, and the catalogue refusing what no approval
approved. The rules live in design/publishing.py and catalogue/approvals.py, not in a screen."""
from __future__ import annotations

import json

import pytest

import catalogue
import engine
from access import directory
from access.principal import Principal, active_grants
from catalogue.models import CatalogueEntry
from design import publishing, store, template
from design.errors import DesignError
from design.models import DesignProgram
from engine.db import db
from tests.support.publishing import publish_approved
from tests.web.signin import demo, security_events  # noqa: F401


def principal(staff) -> Principal:
    grants = active_grants(staff.id)
    return Principal(kind="staff", id=staff.id, display_name=staff.display_name, auth_method="password_totp",
                     session_hash="", grants=grants, roles={g.role for g in grants})


def no_failures(_files, _revision_id):
    return []


@pytest.fixture()
def people(demo):
    org = demo.org
    second = directory.create_staff("SE2321000016-X902", "Ulla", "Utgivare")
    directory.grant_role(second, "utgivare", "publisher_unit", org.publishers["national"].id, "tests")
    both = directory.create_staff("SE2321000016-X901", "Bo", "Båda")
    for role in ("designer", "utgivare"):
        directory.grant_role(both, role, "publisher_unit", org.publishers["national"].id, "tests")
    trainee = directory.create_staff("SE2321000016-X903", "Tea", "Övar")  # no one publishes there (R26)
    directory.grant_role(trainee, "designer", "publisher_unit", org.publishers["training"].id, "tests")
    db.session.commit()
    return {"designer": principal(org.staff["designer"]), "publisher": principal(org.staff["utgivare"]),
            "second": principal(second), "both": principal(both), "trainee": principal(trainee),
            "national": org.publishers["national"].id, "training": org.publishers["training"].id}


def blank(people, who="designer", unit="national", name="Sömnkoll") -> DesignProgram:
    found = store.create_blank(people[who], people[unit], name)
    db.session.commit()
    return found


def submit(people, found, who="designer", label="1.0", notes="Första versionen."):
    submission = publishing.submit(people[who], found.id, release_notes=notes, version_label=label,
                                   run_scenarios=no_failures)
    db.session.commit()
    return submission


def test_an_approved_submission_is_in_the_catalogue_exactly_as_reviewed(people):
    found = blank(people)
    submission = submit(people, found)
    assert [t.element_id for t in engine.ready_tasks(submission.instance_id)] == ["review_version"]
    assert db.session.get(DesignProgram, found.id).state == "in_review"
    publishing.decide(people["publisher"], submission.id, decision="approve", change_kind="major", comment="")
    db.session.commit()
    entry = db.session.get(CatalogueEntry, submission.version_hash)
    assert entry is not None and entry.version_label == "1.0" and entry.publisher_unit_id == people["national"]
    # The published bytes are the reviewed revision's, less its scenarios.
    reviewed = publishing.without_scenarios(store.files(people["designer"], found.id, submission.revision_id))
    assert engine.content_hash(reviewed) == submission.version_hash
    assert [e.kind for e in catalogue.audit.trail(entry.program_key)] == ["submitted", "approved", "published"]
    assert engine.instance(submission.instance_id).status == "completed"


def test_the_submitter_and_everyone_who_saved_a_revision_cannot_approve(people):
    found = blank(people, who="both")  # Bo holds designer and publisher roles, and made the draft
    submission = submit(people, found, who="designer")  # Dora submits Bo's draft
    with pytest.raises(catalogue.CatalogueError) as refused:  # a publisher, but Bo saved the draft
        publishing.decide(people["both"], submission.id, decision="approve", change_kind="major", comment="")
    assert refused.value.code == "four_eyes"
    db.session.commit()  # as the request does: the refusal wrote only its security event
    with pytest.raises(DesignError):  # Dora submitted it, and is no publisher at all
        publishing.decide(people["designer"], submission.id, decision="approve", change_kind="major", comment="")
    db.session.commit()
    assert db.session.get(CatalogueEntry, submission.version_hash) is None
    assert [e.actor_id for e in security_events("publishing_refused")] == [people["both"].id, people["designer"].id]
    assert [t.element_id for t in engine.ready_tasks(submission.instance_id)] == ["review_version"]
    publishing.decide(people["second"], submission.id, decision="approve", change_kind="major", comment="")
    db.session.commit()
    assert db.session.get(CatalogueEntry, submission.version_hash) is not None


def test_a_training_publisher_unit_never_publishes(people):
    found = blank(people, who="trainee", unit="training")
    submission = submit(people, found, who="trainee")
    outsider = people["publisher"]  # a publisher of another unit cannot even open it
    with pytest.raises(DesignError):
        publishing.decide(outsider, submission.id, decision="approve", change_kind="major", comment="")
    db.session.rollback()
    # And the catalogue's own rule holds whoever calls it: not even a recorded decision publishes.
    decision = catalogue.approvals.Decision(submission.version_hash, people["training"], outsider.id,
                                            people["trainee"].id, frozenset(), "x", "major")
    with pytest.raises(catalogue.CatalogueError) as refused:
        catalogue.approvals.approve(decision)
    assert refused.value.code == "training_publisher"
    assert db.session.get(CatalogueEntry, submission.version_hash) is None


def test_sent_back_the_designer_gets_the_rework_and_the_next_submission_is_compared_with_the_same_version(people):
    found = blank(people)
    first = submit(people, found)
    publishing.decide(people["publisher"], first.id, decision="approve", change_kind="major", comment="")
    db.session.commit()
    second = submit(people, found, label="1.1", notes="Tydligare fråga.")
    with pytest.raises(DesignError) as needs_comment:
        publishing.decide(people["publisher"], second.id, decision="send_back", change_kind="minor", comment="")
    db.session.rollback()
    assert needs_comment.value.code == "comment_needed"
    publishing.decide(people["publisher"], second.id, decision="send_back", change_kind="minor",
                      comment="Frågan behöver ett exempel.")
    db.session.commit()
    assert [t.element_id for t in engine.ready_tasks(second.instance_id)] == ["fix_version"]
    third = submit(people, found, label="1.1", notes="Tydligare fråga, med exempel.")
    assert third.base_version_hash == second.base_version_hash == first.version_hash
    assert engine.instance(second.instance_id).status == "completed"  # the rework case ended
    assert db.session.get(type(second), second.id).state == "resubmitted"


def test_nothing_reaches_the_catalogue_without_an_approval_of_that_exact_version(people):
    version = engine.store_version(engine.check_package(template.blank("Ogranskad")))
    with pytest.raises(catalogue.CatalogueError) as refused:
        catalogue.publish(version.content_hash, people["national"], people["publisher"].id)
    assert refused.value.code == "not_approved"
    assert security_events("publishing_refused")[-1].subject == version.content_hash


def test_a_published_version_is_immutable(people):
    found = blank(people)
    submission = submit(people, found)
    publishing.decide(people["publisher"], submission.id, decision="approve", change_kind="major", comment="")
    db.session.commit()
    with pytest.raises(catalogue.CatalogueError) as again:
        publish_approved(submission.version_hash, people["national"], people["second"].id)
    assert again.value.code == "already_published"
    with pytest.raises(DesignError) as relabel:  # the same label again is not a newer version
        submit(people, found, label="1.0")
    assert relabel.value.code == "label_not_newer"


def test_a_revision_with_problems_or_failing_scenarios_is_not_submitted(people):
    found = blank(people)
    with pytest.raises(DesignError) as failing:
        publishing.submit(people["designer"], found.id, release_notes="x", version_label="1.0",
                          run_scenarios=lambda files, revision: ["risk_answer.json"])
    assert failing.value.code == "scenarios_failed" and "risk_answer.json" in str(failing.value)
    db.session.rollback()
    files = store.files(people["designer"], found.id)
    broken = {**files, "program.json": json.dumps({"id": "x", "main_process": "nowhere"}).encode()}
    store.save(people["designer"], found.id, broken, found.head_revision_id, people["designer"].id)
    db.session.commit()
    with pytest.raises(DesignError) as problems:
        submit(people, found)
    assert problems.value.code == "has_problems"
