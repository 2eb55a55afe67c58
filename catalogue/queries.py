"""Reading the catalogue for screens, and the resident's own start of an open program (R16, R82)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

import engine
from access.models import PublisherUnit, Unit
from engine import clock
from engine.db import db
from catalogue.activation import active, version_for_new_start
from catalogue.errors import CatalogueError
from catalogue.models import Activation, CatalogueEntry


@dataclass(frozen=True)
class Offer:
    """An open program a resident may start on one unit, on the version new starts use there."""

    program_key: str
    name: str
    version_label: str
    unit_id: str
    unit_name: str


def entries() -> list[tuple[CatalogueEntry, PublisherUnit]]:
    """Every published version with its owning publisher unit, by name and version."""
    return db.session.execute(
        select(CatalogueEntry, PublisherUnit).join(PublisherUnit, PublisherUnit.id == CatalogueEntry.publisher_unit_id)
        .order_by(CatalogueEntry.name, CatalogueEntry.program_key, CatalogueEntry.major, CatalogueEntry.minor)
    ).tuples().all()


def activations_on(unit_ids) -> dict[tuple[str, str], Activation]:
    """The activations in force on the given units, keyed by (program_key, unit_id)."""
    rows = db.session.scalars(select(Activation).where(Activation.unit_id.in_(list(unit_ids)),
                                                       Activation.deactivated_at.is_(None)))
    return {(a.program_key, a.unit_id): a for a in rows}


def open_offers() -> list[Offer]:
    """Open programs active on a unit that is open today, one offer per program and unit."""
    today = clock.local_today()
    rows = db.session.execute(
        select(Activation, Unit).join(Unit, Unit.id == Activation.unit_id)
        .join(CatalogueEntry, CatalogueEntry.version_hash == Activation.version_hash)
        .where(Activation.deactivated_at.is_(None), CatalogueEntry.open_program.is_(True))).tuples().all()
    offers = []
    for activation, unit in rows:
        if not unit.is_open(today):
            continue
        entry = db.session.get(CatalogueEntry, version_for_new_start(activation.program_key, unit.id))
        if not entry.open_program:  # a newer minor version may have closed the program again
            continue
        offers.append(Offer(entry.program_key, entry.name, entry.version_label, unit.id, unit.name))
    return sorted(offers, key=lambda o: (o.name, o.unit_name))


def running_instance(program_key: str, subject_id: str) -> str | None:
    """The resident's unfinished instance of any version of the program, if there is one."""
    keyed = db.session.scalars(select(CatalogueEntry.version_hash).where(CatalogueEntry.program_key == program_key))
    return engine.open_instance(subject_id, keyed)


def start_open_program(program_key: str, unit_id: str, resident_id: str, *, is_test: bool = False) -> str:
    """Start an open program for the resident themself, with no clinician (owner None).
    Returns the instance id; raises CatalogueError when the program may not be started."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or not unit.is_open(clock.local_today()) or active(program_key, unit_id) is None:
        raise CatalogueError("not_active", "the program is not active on this unit")
    version_hash = version_for_new_start(program_key, unit_id)
    if not db.session.get(CatalogueEntry, version_hash).open_program:
        raise CatalogueError("not_open", "this program is not an open program")
    if running_instance(program_key, resident_id) is not None:
        raise CatalogueError("already_running", "the resident already has this program running")
    outcome = engine.start(version_hash, engine.SYSTEM, unit_id=unit_id, subject_id=resident_id, owner_id=None,
                           is_test=is_test)
    return outcome.instance_id
