"""A version whose stored logic was changed in the database after it was stored is refused on
load: an edit of the compiled risk gateway, or of a file, never runs. The instance goes to
incident; ending it still works."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

import engine
from engine import instances
from engine.db import db
from engine.models import HumanTask, InstanceEvent, ProgramVersion
from tests.conftest import FIXTURES, actor

RESIDENT = engine.Actor("r1", frozenset({("invanare", None)}))
CLINICIAN = actor("c1", "behandlare")


@pytest.fixture()
def started(publish):
    version = publish(FIXTURES / "simple")
    outcome = engine.start(version, engine.SYSTEM, unit_id="u1", subject_id="r1", owner_id="c1")
    db.session.commit()
    return version, outcome.instance_id


def tamper(version: str, **values) -> None:
    """What someone with the database's own user could do, then a fresh process (empty cache)."""
    db.session.execute(update(ProgramVersion).where(ProgramVersion.content_hash == version).values(**values))
    db.session.commit()
    instances.forget_cached_versions()


def answer_task(instance_id: str) -> str:
    return db.session.scalar(select(HumanTask.id).where(HumanTask.instance_id == instance_id))


def test_an_untouched_version_runs(started):
    version, instance_id = started
    instances.forget_cached_versions()
    outcome = engine.complete_task(answer_task(instance_id), RESIDENT, {"q1": 3, "q2": 3})
    assert outcome.status == "running"


def test_a_risk_gateway_edited_in_the_stored_spec_is_refused_and_the_instance_goes_to_incident(started):
    # The attacker makes the risk branch unreachable: "severe" becomes "False" in the compiled spec.
    version, instance_id = started
    other = engine.start(version, engine.SYSTEM, unit_id="u1", subject_id="r2", owner_id="c1").instance_id
    db.session.commit()
    spec = db.session.get(ProgramVersion, version).spec_json
    assert '"severe"' in spec
    tamper(version, spec_json=spec.replace('"severe"', '"False"'))
    with pytest.raises(engine.VersionRefused) as refused:
        engine.complete_task(answer_task(instance_id), RESIDENT, {"q1": 3, "q2": 3})
    assert "spec" in refused.value.reason
    db.session.commit()
    instance = engine.instance(instance_id)
    assert instance.status == "incident" and "refused" in instance.incident_message
    assert engine.instance(other).status == "incident"  # every open instance of the version stops
    kinds = db.session.scalars(select(InstanceEvent.kind).where(InstanceEvent.instance_id == instance_id)).all()
    assert kinds.count("incident") == 1
    with pytest.raises(engine.VersionRefused):  # tried again: refused again, one incident only
        engine.retry_incident(instance_id, CLINICIAN)
    kinds = db.session.scalars(select(InstanceEvent.kind).where(InstanceEvent.instance_id == instance_id)).all()
    assert kinds.count("incident") == 1


def test_a_file_edited_in_the_database_is_refused(started):
    version, instance_id = started
    files = dict(db.session.get(ProgramVersion, version).files)
    files["simple.bpmn"] = files["simple.bpmn"].replace("severe = total &gt;= 4", "severe = False")
    tamper(version, files=files)
    with pytest.raises(engine.VersionRefused) as refused:
        engine.complete_task(answer_task(instance_id), RESIDENT, {"q1": 3, "q2": 3})
    assert "content hash" in refused.value.reason


def test_a_refused_instance_can_still_be_ended(started):
    version, instance_id = started
    tamper(version, task_roles={"answer": "behandlare"})
    with pytest.raises(engine.VersionRefused):
        engine.complete_task(answer_task(instance_id), RESIDENT, {"q1": 1, "q2": 1})
    db.session.commit()
    engine.end(instance_id, CLINICIAN, "other")
    db.session.commit()
    assert engine.instance(instance_id).status == "ended"
    assert answer_task(instance_id) is None
