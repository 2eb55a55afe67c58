"""A care provider with programs in every state a purge must tell apart."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import engine
from access import pdl
from access.pdl import AccessContext
from engine.db import db
from messaging import conversation
from tests.care.people import seeded
from tests.conftest import FIXTURES

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


def version_of_kind(publish, kind: str) -> str:
    files = engine.read_paths([FIXTURES / "simple"])
    files["program.json"] = json.dumps({"id": f"simple_{kind}", "version": "1.0", "name": f"Simple {kind}",
                                        "main_process": "simple", "kind": kind})
    return publish(files)


def ended(version, org, unit, resident, days_ago, owner=None) -> str:
    """A program started and ended ``days_ago`` days before NOW, with a message in its conversation."""
    engine.clock.freeze(NOW - timedelta(days=days_ago + 10))
    instance_id = engine.start(version, engine.SYSTEM, unit_id=org.units[unit].id,
                               subject_id=org.residents[resident].id,
                               owner_id=owner.id if owner else None).instance_id
    conversation.write(org.residents[resident].id, org.units[unit].id, "resident", org.residents[resident].id,
                       "Jag mår sämre den här veckan.")
    engine.clock.freeze(NOW - timedelta(days=days_ago))
    engine.end(instance_id, engine.SYSTEM, "completed_early")
    db.session.commit()
    engine.clock.freeze(NOW)
    return instance_id


def running(version, org, unit, resident) -> str:
    engine.clock.freeze(NOW - timedelta(days=200))
    instance_id = engine.start(version, engine.SYSTEM, unit_id=org.units[unit].id,
                               subject_id=org.residents[resident].id).instance_id
    conversation.write(org.residents[resident].id, org.units[unit].id, "resident", org.residents[resident].id,
                       "Hej, en fråga om veckans uppgift.")
    db.session.commit()
    engine.clock.freeze(NOW)
    return instance_id


def pdl_entry(org, at: datetime) -> None:
    engine.clock.freeze(at)
    member = org.staff["behandlare"]
    ctx = AccessContext(actor_type="staff", actor_id=member.id, actor_name=member.display_name, role="behandlare",
                        care_provider_id=org.providers["region"].id, unit_id=org.units["nord"].id,
                        assignment_id=None, purpose="vard_och_behandling")
    pdl.record(ctx, action="read", resource_type="resident", resource_id=org.residents["anna"].id,
               resident_id=org.residents["anna"].id)
    db.session.commit()
    engine.clock.freeze(NOW)


def organisation():
    return seeded()
