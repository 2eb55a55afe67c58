"""Saving drafts: each save an immutable revision; a save over a newer head is refused with who
saved what when; the same content gives the same revision; restore is a new revision."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

import design
from design.models import DesignBlob, DesignRevision
from engine import clock
from engine.db import db
from tests.design.support import designer
from tests.web.signin import security_events


def _changed(files, note="Ny text"):
    return {**files, "texts/intro.md": note.encode()}


def test_a_blank_program_has_one_revision_and_a_security_event(org):
    dana = designer(org.publisher)
    program = design.create_blank(dana, org.publisher, "Sömn för unga")
    db.session.commit()
    [first] = design.history(dana, program.id)
    assert program.state == "draft" and program.head_revision_id == first.id and first.parent_id is None
    assert set(design.files(dana, program.id)) == {"program.json", "somn_for_unga.bpmn", "forms/first_answer.form"}
    [event] = security_events("design_program_created")
    assert (event.actor_id, event.subject) == ("designer-1", program.id)


def test_a_save_on_the_head_makes_a_new_head_with_author_time_message_and_parent(org):
    dana = designer(org.publisher)
    program = design.create_blank(dana, org.publisher, "Sömn")
    base = program.head_revision_id
    revision = design.save(dana, program.id, _changed(design.files(dana, program.id)), base, "designer-1", "intro")
    db.session.commit()
    assert (revision.parent_id, revision.author, revision.message) == (base, "designer-1", "intro")
    assert program.head_revision_id == revision.id
    assert [r.id for r in design.history(dana, program.id)] == [revision.id, base]
    assert design.files(dana, program.id)["texts/intro.md"] == b"Ny text"
    assert design.files(dana, program.id, base).get("texts/intro.md") is None  # the old one is unchanged


def test_a_save_over_a_newer_head_is_refused_with_who_saved_what_when(org):
    dana, kim = designer(org.publisher), designer(org.publisher, "designer-2")
    program = design.create_blank(dana, org.publisher, "Sömn")
    base = program.head_revision_id
    files = design.files(dana, program.id)
    clock.freeze(clock.now() + timedelta(minutes=5))
    theirs = design.save(kim, program.id, _changed(files, "Kims text"), base, "designer-2", "Kim's intro")
    db.session.commit()
    with pytest.raises(design.StaleRevision) as stale:
        design.save(dana, program.id, _changed(files, "Danas text"), base, "designer-1")
    err = stale.value
    assert (err.code, err.head_id, err.author, err.saved_message) == (
        "stale_revision", theirs.id, "designer-2", "Kim's intro")
    assert err.saved_at == theirs.created_at and "designer-2" in str(err)
    assert program.head_revision_id == theirs.id and len(design.history(dana, program.id)) == 2


def test_saving_the_heads_content_again_gives_the_same_revision_and_stores_nothing(org):
    dana = designer(org.publisher)
    program = design.create_blank(dana, org.publisher, "Sömn")
    head = program.head_revision_id
    blobs = db.session.scalar(select(func.count()).select_from(DesignBlob))
    again = design.save(dana, program.id, design.files(dana, program.id), head, "designer-1", "no change")
    assert again.id == head and program.head_revision_id == head
    assert db.session.scalar(select(func.count()).select_from(DesignRevision)) == 1
    assert db.session.scalar(select(func.count()).select_from(DesignBlob)) == blobs


def test_a_file_content_is_stored_once_across_revisions_and_programs(org):
    dana = designer(org.publisher)
    one = design.create_blank(dana, org.publisher, "Sömn")
    design.create_blank(dana, org.publisher, "Sömn")  # the same template files
    design.save(dana, one.id, _changed(design.files(dana, one.id)), one.head_revision_id, "designer-1")
    assert db.session.scalar(select(func.count()).select_from(DesignBlob)) == 4  # 3 template files + the text


def test_restore_is_a_new_revision_with_the_old_files_on_top_of_the_head(org):
    dana = designer(org.publisher)
    program = design.create_blank(dana, org.publisher, "Sömn")
    first = program.head_revision_id
    original = design.files(dana, program.id)
    second = design.save(dana, program.id, _changed(original), first, "designer-1")
    restored = design.restore(dana, program.id, first, "designer-1")
    db.session.commit()
    assert restored.id not in (first, second.id) and restored.parent_id == second.id
    assert design.files(dana, program.id) == original
    assert [r.id for r in design.history(dana, program.id)] == [restored.id, second.id, first]
    assert restored.content_hash == db.session.get(DesignRevision, first).content_hash
    [event] = security_events("design_restored")
    assert event.subject == program.id


def test_a_save_of_bad_files_is_refused_and_the_head_stays(org):
    dana = designer(org.publisher)
    program = design.create_blank(dana, org.publisher, "Sömn")
    head = program.head_revision_id
    with pytest.raises(design.DesignError) as refused:
        design.save(dana, program.id, {**design.files(dana, program.id), "texts/x.md": b"\xff\xfe"}, head, "designer-1")
    assert (refused.value.code, refused.value.file) == ("not_utf8", "texts/x.md")
    assert program.head_revision_id == head


def test_two_saves_on_one_base_cannot_both_win_even_past_the_check_in_memory(org):
    """Another request moved the head after this one read the program: the head moves only from
    the base it still has in the database, so the late save is refused, not written over it."""
    dana = designer(org.publisher)
    program = design.create_blank(dana, org.publisher, "Sömn")
    first = program.head_revision_id
    second = design.save(dana, program.id, _changed(design.files(dana, program.id)), first, "designer-1", "två")
    db.session.commit()
    files = _changed(design.files(dana, program.id), "sen")
    assert program.head_revision_id == second.id  # loaded: the store's own check will pass
    # The database's head changes behind the session's back, as a concurrent request's would.
    db.session.execute(text("UPDATE design_program SET head_revision_id = :h"), {"h": first})
    with pytest.raises(design.StaleRevision) as stale:
        design.save(dana, program.id, files, second.id, "designer-1")
    assert stale.value.head_id == first
    db.session.rollback()
