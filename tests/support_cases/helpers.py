"""People, a published program and drafts for the support case tests: the incident tests' people
(a clinician on a unit of Region Nord, Nord's and Syd's administrators, national management), plus
the publisher unit that owns a program in the catalogue, its publisher, and another unit's designer."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import engine
from access import directory
from access.models import RoleGrant
from catalogue.models import CatalogueEntry
from cli import packages
from engine.db import db
from support import cases
from tests.incidents.support import People, _principal, people


@dataclass
class World:
    people: People
    publisher: object  # utgivare of the unit that owns the program
    other_designer: object  # designer of another publisher unit
    unit_id: str


def world() -> World:
    found = people()
    for admin in (found.admin, found.other_admin):  # the incident people keep these grants unstored
        grant = admin.grants[0]
        db.session.add(RoleGrant(staff_id=admin.id, role=grant.role, scope_type=grant.scope_type,
                                 scope_id=grant.scope_id, granted_by="system"))
    owner = directory.create_publisher_unit("SE2321000016-P101", "Programredaktionen Nord")
    other = directory.create_publisher_unit("SE2321000016-P102", "Annan redaktion")
    ulf = directory.create_staff("SE2321000016-U101", "Ulf", "Utgivare", email="ulf@example.org")
    dora = directory.create_staff("SE2321000016-D101", "Dora", "Designer", email="dora@example.org")
    db.session.add(RoleGrant(staff_id=ulf.id, role="utgivare", scope_type="publisher_unit", scope_id=owner.id,
                             granted_by="system"))
    db.session.add(RoleGrant(staff_id=dora.id, role="designer", scope_type="publisher_unit", scope_id=other.id,
                             granted_by="system"))
    version = engine.store_version(packages.load(packages.WORKFLOWS / "incident_report"))
    db.session.add(CatalogueEntry(version_hash=version.content_hash, program_key="somn", version_label="1.0", major=1,
                                  minor=0, name="Bättre sömn", kind="treatment", languages=["sv"],
                                  publisher_unit_id=owner.id, published_by=ulf.id))
    db.session.flush()
    return World(
        people=found,
        publisher=_principal(ulf, [RoleGrant(staff_id=ulf.id, role="utgivare", scope_type="publisher_unit",
                                             scope_id=owner.id)]),
        other_designer=_principal(dora, [RoleGrant(staff_id=dora.id, role="designer", scope_type="publisher_unit",
                                                   scope_id=other.id)]),
        unit_id=owner.id)


def draft(category="other", **changes) -> cases.Draft:
    values = dict(product="stod_och_behandling", page_url="/klinik/uppgifter?sida=2", platform_version="0.16.0",
                  observed_at=datetime(2026, 1, 5, 7, 30, tzinfo=timezone.utc),
                  question="Hur flyttar jag en invånare till en annan enhet?", category=category,
                  program_key="somn" if category == "content" else "")
    values.update(changes)
    return cases.Draft(**values)
