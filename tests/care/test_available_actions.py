"""What the program page offers to do to a program, per status and per viewer, worked out
without a request: care.program_actions.available_actions."""
from __future__ import annotations

import pytest

from tests.support.publishing import publish_approved
import catalogue
import engine
from access import directory
from care.program_actions import available_actions
from engine.db import db
from tests.care.people import principal, seeded
from tests.support import bpmn

PROGRAM_JSON = ('{"id": "hemuppgift", "version": "1.0", "name": "Hemuppgift", "main_process": "homework", '
                '"kind": "treatment", "languages": ["sv"], "journal_items": []}')


def program_files() -> dict:
    return {"homework.bpmn": bpmn.linear("homework", bpmn.user_task("task", name="Hemuppgift"), "task",
                                         lane="Invånare"),
            "program.json": PROGRAM_JSON}


@pytest.fixture()
def org(ctx):
    return seeded()


@pytest.fixture()
def started(org, publish):
    """Start the program for Anna on Nord, Bodil responsible; in the catalogue when asked."""
    def _start(*, in_catalogue=True) -> str:
        version = publish(program_files())
        if in_catalogue:
            publish_approved(version, org.publishers["national"].id, org.staff["utgivare"].id)
            catalogue.activate("hemuppgift", [org.units[u].id for u in ("nord", "syd", "stangd", "privat")],
                               org.staff["vardgivaradmin"].id)
        outcome = engine.start(version, engine.SYSTEM, unit_id=org.units["nord"].id,
                               subject_id=org.residents["anna"].id, owner_id=org.staff["behandlare"].id)
        db.session.commit()
        return outcome.instance_id
    return _start


def actions_of(org, key, instance_id) -> dict:
    db.session.expire_all()
    return available_actions(principal(org.staff[key]), engine.instance(instance_id))


def test_a_running_program_can_be_paused_ended_and_handed_over_within_the_care_provider(org, started):
    instance_id = started()
    found = actions_of(org, "behandlare", instance_id)
    assert set(found) == {"pause", "end", "hand_over"}
    assert found["end"]["reasons"] == list(engine.END_REASONS)
    # Syd only: not the closed unit, never the private provider's, and not Nord, where it already is.
    assert [u.name for u in found["hand_over"]["units"]] == ["Vårdcentral Syd"]
    assert [c.name for c in found["hand_over"]["units"][0].clinicians] == ["Sven Sydbehandlare"]


def test_a_paused_program_is_resumed_instead_of_paused(org, started):
    instance_id = started()
    engine.pause(instance_id, engine.SYSTEM)
    db.session.commit()
    assert set(actions_of(org, "behandlare", instance_id)) == {"resume", "end", "hand_over"}


def test_a_finished_program_offers_nothing(org, started):
    instance_id = started()
    engine.end(instance_id, engine.SYSTEM, "other")
    db.session.commit()
    assert actions_of(org, "behandlare", instance_id) == {}


def test_a_program_outside_the_catalogue_cannot_be_handed_over(org, started):
    instance_id = started(in_catalogue=False)
    assert set(actions_of(org, "behandlare", instance_id)) == {"pause", "end"}


def test_the_resident_administrator_may_only_change_the_responsible_clinician(org, started):
    instance_id = started()
    # Bodil is responsible and the only clinician on Nord: nobody to change to yet.
    assert actions_of(org, "invanaradmin", instance_id) == {}
    kim = directory.create_staff("SE2321000016-B003", "Kim", "Kollega")
    directory.add_assignment(kim, org.units["nord"])
    directory.grant_role(kim, "behandlare", "unit", org.units["nord"].id, granted_by="test")
    db.session.commit()
    found = actions_of(org, "invanaradmin", instance_id)
    assert set(found) == {"reassign"}
    assert [c.name for c in found["reassign"]["clinicians"]] == ["Kim Kollega"]
