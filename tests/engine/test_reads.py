"""What other packages read of engine tables comes through the facade as plain data: frozen
records, ids and counts, never ORM rows that could change an engine table behind its back."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

import engine
from engine.db import db
from tests.conftest import FIXTURES, actor

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def start(version, subject="r1", unit="u1"):
    outcome = engine.start(version, engine.SYSTEM, unit_id=unit, subject_id=subject, owner_id="c1")
    db.session.commit()
    return outcome.instance_id


@pytest.fixture()
def version(publish):
    engine.clock.freeze(T0)
    return publish(FIXTURES / "simple")


def test_records_are_frozen_copies(version):
    # Given an instance with some history
    instance_id = start(version)
    # When the facade is asked about it
    instance, events, stored = engine.instance(instance_id), engine.history(instance_id), engine.version(version)
    # Then each answer is a frozen record, not a row of the session
    for record in (instance, events[0], stored):
        assert dataclasses.is_dataclass(record) and not hasattr(record, "_sa_instance_state")
        with pytest.raises(dataclasses.FrozenInstanceError):
            record.id = "changed"  # type: ignore[misc]
    assert (instance.status, instance.subject_id, instance.version_hash) == ("running", "r1", version)
    assert events[0].kind == "started" and events[0].at == T0
    assert stored.content_hash == version and stored.main_process == "simple"
    assert engine.instance("nobody") is None and engine.version("nothing") is None


def test_the_stored_version_is_a_record_and_storing_again_returns_the_same(publish):
    files = engine.check_package(engine.read_paths([FIXTURES / "simple"]))
    first = engine.store_version(files)
    again = engine.store_version(files)
    assert isinstance(first, engine.Version) and first == again
    first.meta["name"] = "changed here"
    assert engine.version(first.content_hash).meta.get("name") != "changed here"


def test_counts_and_versions_list_what_is_stored(version):
    start(version)
    assert engine.counts() == engine.Counts(versions=1, instances=1, tasks=1, timers=0)
    assert [v.content_hash for v in engine.versions()] == [version]


def test_a_package_picture_comes_with_its_type_and_nothing_else_does(ctx):
    files = engine.read_paths([FIXTURES / "simple"]) | {"media/spiral.png": PNG}
    stored = engine.store_version(engine.check_package(files)).content_hash
    assert engine.media_file(stored, "media/spiral.png") == (PNG, "image/png")
    assert engine.media_file(stored, "media/other.png") is None
    assert engine.media_file(stored, "simple.bpmn") is None
    assert engine.media_file("unknown", "media/spiral.png") is None


def test_caseload_answers_whose_programs_run_where(version):
    # Given r1 with programs on u1 and u2, and r2 on u1 only, started a day apart
    first = start(version, "r1", "u1")
    engine.clock.advance(timedelta(days=1))
    second = start(version, "r1", "u2")
    engine.clock.advance(timedelta(days=1))
    third = start(version, "r2", "u1")
    # Then the lists, relations and sets say so, newest first
    assert [p.id for p in engine.programs_of("r1")] == [second, first]
    [only] = engine.programs_of("r1", "u2")
    assert (only.id, only.status, only.unit_id, only.created_at) == (second, "running", "u2", T0 + timedelta(days=1))
    assert only.program == engine.version(version).name
    assert engine.has_program_on("r2", "u1") and not engine.has_program_on("r2", "u2")
    assert engine.subjects_on_unit("u1") == {"r1", "r2"} and engine.subjects_on_unit("u9") == frozenset()
    assert engine.units_of("r1") == {"u1", "u2"}
    assert engine.open_instance("r2", [version]) == third
    assert engine.open_instance("r2", ["another version"]) is None


def test_an_ended_program_is_not_open(version):
    instance_id = start(version)
    engine.pause(instance_id, actor("c1", "behandlare"))
    db.session.commit()
    assert engine.open_instance("r1", [version]) == instance_id  # paused still counts as ongoing
    engine.end(instance_id, actor("c1", "behandlare"), "other")
    db.session.commit()
    assert engine.open_instance("r1", [version]) is None
    assert [p.status for p in engine.programs_of("r1")] == ["ended"]
