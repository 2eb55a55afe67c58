"""Which programs a care unit uses, and on which version new starts begin (R25, R46).

A minor version (1.0 → 1.1) is a compatible content update: once published, new starts on every
unit that uses 1.x get it without anyone acting. A major version (1.x → 2.0) changes the program,
so a care provider administrator moves units to it explicitly. Instances that are already running
are never touched: each stays pinned to the version it started on.
"""
from __future__ import annotations

from sqlalchemy import select

from access import security_log
from access.models import Unit
from engine import clock
from engine.db import db
from catalogue import audit
from catalogue.errors import CatalogueError
from catalogue.models import Activation, CatalogueEntry

# Platform processes (publishing approval, …) are run by the platform, not offered on care units.
NOT_ACTIVATABLE_KINDS = {"platform"}


def versions(program_key: str) -> list[CatalogueEntry]:
    """Every published version of a program, oldest first."""
    return list(db.session.scalars(select(CatalogueEntry).where(CatalogueEntry.program_key == program_key)
                                   .order_by(CatalogueEntry.major, CatalogueEntry.minor)))


def newest(program_key: str, major: int | None = None) -> CatalogueEntry | None:
    """The newest version of a program, or the newest minor version of one major version."""
    found = [e for e in versions(program_key) if major is None or e.major == major]
    return found[-1] if found else None


def active(program_key: str, unit_id: str) -> Activation | None:
    return db.session.scalar(select(Activation).where(Activation.program_key == program_key,
                                                      Activation.unit_id == unit_id,
                                                      Activation.deactivated_at.is_(None)))


def version_for_new_start(program_key: str, unit_id: str) -> str | None:
    """The version a new start on ``unit_id`` uses: the newest minor of the activated major version,
    or None when the program is not active there (R25: then it cannot be started)."""
    activation = active(program_key, unit_id)
    if activation is None:
        return None
    chosen = db.session.get(CatalogueEntry, activation.version_hash)
    return newest(program_key, chosen.major).version_hash


def activate(program_key: str, unit_ids, by: str, *, version_hash: str | None = None,
             request_id: str | None = None) -> list[Activation]:
    """Activate a program on units (newest version unless one is named); already active units
    are left as they are. Returns the new activations."""
    target = _target(program_key, version_hash)
    created = []
    for unit in _units(unit_ids):
        if active(program_key, unit.id) is not None:
            continue
        activation = Activation(unit_id=unit.id, program_key=program_key, version_hash=target.version_hash,
                                activated_by=by, activated_at=clock.now())
        db.session.add(activation)
        created.append(activation)
        _event("program_activated", by, unit.id, f"{program_key} {target.version_label}", request_id)
        audit.record(program_key, "activated", by, "vardgivaradmin", unit.id, target.version_hash, target.version_label)
    db.session.flush()
    return created


def upgrade(program_key: str, unit_ids, version_hash: str, by: str, *,
            request_id: str | None = None) -> list[Activation]:
    """Move units to a newer major version: the explicit choice a major version needs."""
    target = _target(program_key, version_hash)
    moves = []
    for unit in _units(unit_ids):
        activation = active(program_key, unit.id)
        if activation is None:
            raise CatalogueError("not_active", "the program is not active on this unit")
        current = db.session.get(CatalogueEntry, activation.version_hash)
        if target.major <= current.major:
            raise CatalogueError("not_newer_major", "choose a newer major version; minor versions apply by themselves")
        moves.append((unit, activation, current))
    # Checked every unit first, so a refused move changes none of them.
    for unit, activation, current in moves:
        activation.version_hash, activation.activated_by, activation.activated_at = target.version_hash, by, clock.now()
        _event("program_upgraded", by, unit.id, f"{program_key} {current.version_label} -> {target.version_label}",
               request_id)
        audit.record(program_key, "activated", by, "vardgivaradmin", unit.id, target.version_hash,
                     f"{current.version_label} -> {target.version_label}")
    db.session.flush()
    return [activation for _unit, activation, _current in moves]


def deactivate(program_key: str, unit_ids, by: str, *, request_id: str | None = None) -> list[Activation]:
    """End activations: no new starts there; instances already running go on to their end."""
    ended = []
    for unit in _units(unit_ids):
        activation = active(program_key, unit.id)
        if activation is None:
            continue
        activation.deactivated_at, activation.deactivated_by = clock.now(), by
        ended.append(activation)
        _event("program_deactivated", by, unit.id, program_key, request_id)
        audit.record(program_key, "deactivated", by, "vardgivaradmin", unit.id, activation.version_hash)
    db.session.flush()
    return ended


def _target(program_key: str, version_hash: str | None) -> CatalogueEntry:
    entry = db.session.get(CatalogueEntry, version_hash) if version_hash else newest(program_key)
    if entry is None or entry.program_key != program_key:
        raise CatalogueError("unknown_version", "no such version of this program in the catalogue")
    if entry.kind in NOT_ACTIVATABLE_KINDS:
        raise CatalogueError("platform_process", "a platform process is not activated on care units")
    if entry.journal_items is None:  # R46: decided before a program is taken into use
        raise CatalogueError("no_journal_declaration",
                             "the program does not declare which items go to the medical record")
    return entry


def _units(unit_ids) -> list[Unit]:
    ids = list(dict.fromkeys(unit_ids))
    units = [db.session.get(Unit, unit_id) for unit_id in ids]
    if not units or any(unit is None for unit in units):
        raise CatalogueError("unknown_unit", "choose at least one existing care unit")
    return units


def _event(kind: str, by: str, unit_id: str, detail: str, request_id: str | None) -> None:
    security_log.event(kind, "ok", actor_type="staff", actor_id=by, subject=unit_id, detail=detail[:300],
                       request_id=request_id)
