"""Publishing into the catalogue and activation per unit (R24–R26, R46): a minor version reaches
new starts by itself, a major version only by an explicit move, and instances already running
never change version."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.support.publishing import publish_approved
import catalogue
import engine
from access import directory
from catalogue.models import Activation, CatalogueEntry
from engine.db import db
from tests.catalogue.programs import stored
from tests.web.signin import security_events


@dataclass
class Org:
    publisher: str
    training: str
    other_publisher: str
    nord: str
    syd: str


@pytest.fixture()
def org(ctx) -> Org:
    region = directory.create_care_provider("SE2321000016-0001", "Region Test")
    nord = directory.create_unit(region, "SE2321000016-1001", "Nord")
    syd = directory.create_unit(region, "SE2321000016-1002", "Syd")
    publisher = directory.create_publisher_unit("SE2321000016-P001", "Redaktionen")
    training = directory.create_publisher_unit("SE2321000016-P002", "Övning", training=True)
    other = directory.create_publisher_unit("SE2321000016-P003", "Annan redaktion")
    db.session.commit()
    return Org(publisher.id, training.id, other.id, nord.id, syd.id)


def published(org: Org, **meta) -> str:
    version = stored(**meta)
    publish_approved(version, org.publisher, "utgivare-1")
    db.session.commit()
    return version


def test_publishing_makes_an_entry_from_the_programs_own_metadata(org):
    version = stored(version="1.0", kind="education", languages=["sv"], journal_items=["answer"], open=True)
    entry = publish_approved(version, org.publisher, "utgivare-1")
    db.session.commit()
    assert (entry.program_key, entry.version_label, entry.kind, entry.languages, entry.journal_items) == (
        "weekly_check", "1.0", "education", ["sv"], ["answer"])
    assert entry.open_program and entry.publisher_unit_id == org.publisher and entry.published_by == "utgivare-1"
    [event] = security_events("program_published")
    assert (event.subject, event.actor_id, event.detail) == (version, "utgivare-1", "weekly_check 1.0")


def test_a_training_publisher_unit_can_never_publish(org):
    version = stored(version="1.0")
    with pytest.raises(catalogue.CatalogueError) as refused:
        publish_approved(version, org.training, "utgivare-1")
    assert refused.value.code == "training_publisher"
    assert db.session.get(CatalogueEntry, version) is None


def test_a_label_is_published_once_per_program_and_a_version_once(org):
    first = published(org, version="1.0")
    again = stored(version="1.0", name="Veckokoll, rättad")  # other content, same label
    with pytest.raises(catalogue.CatalogueError) as duplicate:
        publish_approved(again, org.publisher, "utgivare-1")
    with pytest.raises(catalogue.CatalogueError) as twice:
        publish_approved(first, org.publisher, "utgivare-1")
    assert (duplicate.value.code, twice.value.code) == ("duplicate_label", "already_published")


@pytest.mark.parametrize("meta, code", [
    ({"id": None, "version": "1.0"}, "no_program_id"),
    ({"version": "1"}, "bad_version_label"),
    ({"version": "v1.0"}, "bad_version_label"),
    ({"version": "1.0", "kind": ""}, "no_kind"),
])
def test_a_version_without_id_label_or_kind_is_refused(org, meta, code):
    with pytest.raises(catalogue.CatalogueError) as refused:
        publish_approved(stored(**meta), org.publisher, "utgivare-1")
    assert refused.value.code == code


def test_a_program_belongs_to_the_publisher_unit_that_first_published_it(org):
    published(org, version="1.0")
    with pytest.raises(catalogue.CatalogueError) as refused:
        publish_approved(stored(version="1.1"), org.other_publisher, "utgivare-2")
    assert refused.value.code == "other_publisher"


def test_activation_decides_where_a_program_can_start(org):
    version = published(org, version="1.0")
    assert catalogue.version_for_new_start("weekly_check", org.nord) is None  # R25: published, not active
    [activation] = catalogue.activate("weekly_check", [org.nord], "vga-1")
    db.session.commit()
    assert activation.version_hash == version and activation.activated_by == "vga-1"
    assert catalogue.version_for_new_start("weekly_check", org.nord) == version
    assert catalogue.version_for_new_start("weekly_check", org.syd) is None
    assert catalogue.activate("weekly_check", [org.nord], "vga-1") == []  # already active: unchanged
    [event] = security_events("program_activated")
    assert (event.subject, event.actor_id, event.detail) == (org.nord, "vga-1", "weekly_check 1.0")


def test_a_minor_version_is_used_for_new_starts_without_anyone_acting(org):
    published(org, version="1.0")
    catalogue.activate("weekly_check", [org.nord], "vga-1")
    minor = published(org, version="1.1")
    assert catalogue.version_for_new_start("weekly_check", org.nord) == minor
    assert security_events("program_upgraded") == []


def test_a_major_version_needs_an_explicit_move(org):
    published(org, version="1.0")
    catalogue.activate("weekly_check", [org.nord, org.syd], "vga-1")
    minor = published(org, version="1.1")
    major = published(org, version="2.0")
    assert catalogue.version_for_new_start("weekly_check", org.nord) == minor
    catalogue.upgrade("weekly_check", [org.nord], major, "vga-1")
    db.session.commit()
    assert catalogue.version_for_new_start("weekly_check", org.nord) == major
    assert catalogue.version_for_new_start("weekly_check", org.syd) == minor
    assert published(org, version="2.1") == catalogue.version_for_new_start("weekly_check", org.nord)
    [event] = security_events("program_upgraded")
    assert (event.subject, event.detail) == (org.nord, "weekly_check 1.0 -> 2.0")


def test_a_move_must_go_to_a_newer_major_version_on_active_units(org):
    first = published(org, version="1.0")
    minor = published(org, version="1.1")
    major = published(org, version="2.0")
    assert catalogue.activate("weekly_check", [org.syd], "vga-1")[0].version_hash == major  # newest by default
    catalogue.deactivate("weekly_check", [org.syd], "vga-1")
    catalogue.activate("weekly_check", [org.nord], "vga-1", version_hash=first)
    with pytest.raises(catalogue.CatalogueError) as same_major:
        catalogue.upgrade("weekly_check", [org.nord], minor, "vga-1")
    with pytest.raises(catalogue.CatalogueError) as not_active:
        catalogue.upgrade("weekly_check", [org.nord, org.syd], major, "vga-1")
    assert (same_major.value.code, not_active.value.code) == ("not_newer_major", "not_active")
    # The refused move changed no unit, not even the one that could have moved.
    assert catalogue.active("weekly_check", org.nord).version_hash != major


def test_running_instances_keep_their_version(org):
    first = published(org, version="1.0")
    catalogue.activate("weekly_check", [org.nord], "vga-1")
    running = engine.start(catalogue.version_for_new_start("weekly_check", org.nord), engine.SYSTEM,
                           unit_id=org.nord, subject_id="r1").instance_id
    published(org, version="1.1")
    major = published(org, version="2.0")
    catalogue.upgrade("weekly_check", [org.nord], major, "vga-1")
    catalogue.deactivate("weekly_check", [org.nord], "vga-1")
    db.session.commit()
    instance = engine.instance(running)
    assert instance.version_hash == first and instance.status == "running"
    [task] = engine.ready_tasks(running)
    engine.complete_task(task.id, engine.SYSTEM, {"q1": 0, "q2": 1})
    assert engine.instance(running).version_hash == first


def test_deactivation_stops_new_starts_and_is_logged(org):
    published(org, version="1.0")
    catalogue.activate("weekly_check", [org.nord], "vga-1")
    [ended] = catalogue.deactivate("weekly_check", [org.nord, org.syd], "vga-2")
    db.session.commit()
    assert ended.deactivated_by == "vga-2" and ended.deactivated_at is not None
    assert catalogue.version_for_new_start("weekly_check", org.nord) is None
    assert [e.subject for e in security_events("program_deactivated")] == [org.nord]
    assert len(catalogue.activate("weekly_check", [org.nord], "vga-1")) == 1  # a new activation, history kept
    assert db.session.query(Activation).count() == 2


@pytest.mark.parametrize("meta, code", [
    ({"version": "1.0", "drop": ("journal_items",)}, "no_journal_declaration"),  # R46
    ({"version": "1.0", "kind": "platform"}, "platform_process"),
])
def test_programs_that_may_not_be_taken_into_use_are_refused(org, meta, code):
    version = stored(**meta)
    publish_approved(version, org.publisher, "utgivare-1")
    with pytest.raises(catalogue.CatalogueError) as refused:
        catalogue.activate("weekly_check", [org.nord], "vga-1")
    assert refused.value.code == code and security_events("program_activated") == []
