"""Open programs (R16, R82): a resident starts the self-help sleep program themself, once; the
start is a PDL row, no clinician owns it, and its first step is the resident's."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.publishing import publish_approved
import catalogue
import engine
from engine.db import db
from engine.models import HumanTask, ProcessInstance
from tests.catalogue.programs import stored
from tests.web.signin import demo, pdl_rows, post, sign_in_resident  # noqa: F401
from cli import packages

PAGE, START = "/oppna-program", "/oppna-program/starta"


@pytest.fixture()
def sleep(demo):
    """The shipped sleep school, published and active on Nord; returns its version hash."""
    version = engine.store_version(packages.load(packages.WORKFLOWS / "programs" / "selfhelp_sleep")).content_hash
    publish_approved(version, demo.org.publishers["national"].id, demo.org.staff["utgivare"].id)
    catalogue.activate("selfhelp_sleep", [demo.org.units["nord"].id], demo.org.staff["vardgivaradmin"].id)
    db.session.commit()
    return version


def instances_of(resident_id: str, version: str) -> list[ProcessInstance]:
    return list(db.session.scalars(select(ProcessInstance).where(ProcessInstance.subject_id == resident_id,
                                                                 ProcessInstance.version_hash == version)))


def start(client, demo, unit="nord", key="selfhelp_sleep"):
    return post(client, START, {"program_key": key, "unit_id": demo.org.units[unit].id}, token_from=PAGE)


def test_a_resident_starts_an_open_program_once(demo, sleep):
    bo = demo.resident("bo")
    client = sign_in_resident(demo.client(), bo.id)
    page = client.get(PAGE).text
    assert "Sömnskola – självhjälp" in page and "Starta Sömnskola – självhjälp på Psykiatrimottagning Nord" in page
    response = start(client, demo)
    assert response.status_code == 302
    [instance] = instances_of(bo.id, sleep)
    assert (instance.unit_id, instance.owner_id, instance.status) == (demo.org.units["nord"].id, None, "running")
    [step] = db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)).all()
    assert (step.element_id, step.role, step.assignee_id) == ("module_1", "invanare", bo.id)
    [row] = pdl_rows(resident_id=bo.id, action="create")
    assert (row.actor_type, row.actor_id, row.role, row.resource_type, row.resource_id, row.outcome,
            row.access_basis) == ("resident", bo.id, "invanare", "process_instance", instance.id, "allowed", "self")
    assert row.request_id
    again = start(client, demo)
    assert again.status_code == 409 and 'role="alert"' in again.text
    assert len(instances_of(bo.id, sleep)) == 1 and len(pdl_rows(resident_id=bo.id, action="create")) == 1
    assert "Startat" in client.get(PAGE).text  # no second start button


def test_after_the_program_ends_it_can_be_started_again(demo, sleep):
    bo = demo.resident("bo")
    client = sign_in_resident(demo.client(), bo.id)
    start(client, demo)
    [instance] = instances_of(bo.id, sleep)
    db.session.execute(ProcessInstance.__table__.update().where(ProcessInstance.id == instance.id)
                       .values(status="completed"))
    db.session.commit()
    assert start(client, demo).status_code == 302 and len(instances_of(bo.id, sleep)) == 2


def test_an_open_program_starts_only_where_it_is_active(demo, sleep):
    client = sign_in_resident(demo.client(), demo.resident("bo").id)
    assert "Vårdcentral Syd" not in client.get(PAGE).text
    assert start(client, demo, unit="syd").status_code == 400
    assert instances_of(demo.resident("bo").id, sleep) == []


def test_a_program_that_is_not_open_is_neither_offered_nor_started(demo, sleep):
    treatment = stored(version="1.0")  # an ordinary treatment program, active on Nord
    publish_approved(treatment, demo.org.publishers["national"].id, demo.org.staff["utgivare"].id)
    catalogue.activate("weekly_check", [demo.org.units["nord"].id], demo.org.staff["vardgivaradmin"].id)
    db.session.commit()
    client = sign_in_resident(demo.client(), demo.resident("bo").id)
    assert "Veckokoll" not in client.get(PAGE).text
    assert start(client, demo, key="weekly_check").status_code == 400
    assert instances_of(demo.resident("bo").id, treatment) == []


def test_staff_and_visitors_do_not_start_open_programs(demo, sleep):
    assert demo.staff("behandlare").get(PAGE).status_code == 403
    assert demo.client().get(PAGE).status_code == 302  # to sign-in
