"""Spärr and nödåtkomst (PDL 4 kap. 4–6 §§): a resident blocks their data at one unit from the
other units of the same care provider, and a clinician may open blocked data for a short while
with a stated reason. Placing, lifting and opening are written to the PDL log; the policy asks
``blocked_for`` and ``emergency_open_for`` when it decides a read."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine import clock
from engine.db import UtcDateTime, db
from access import pdl, security_log
from access.models import Unit, opaque_id

EMERGENCY_HOURS = 4
EMERGENCY_LIFETIME = timedelta(hours=EMERGENCY_HOURS)
MAX_REASON = 300
BLOCK_REASON = "spärr"  # the reason of a denied PDL row, as the reviewer's list shows it


class Block(db.Model):
    """A resident's spärr of their data at one unit; in force until lifted."""

    __tablename__ = "access_block"
    id = db.Column(db.String(32), primary_key=True, default=opaque_id)
    resident_id = db.Column(db.String(32), db.ForeignKey("resident.id"), nullable=False, index=True)
    unit_id = db.Column(db.String(32), db.ForeignKey("unit.id"), nullable=False)
    placed_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    lifted_at = db.Column(UtcDateTime)


class EmergencyAccess(db.Model):
    """One nödåtkomst: who opened whose blocked data, from which unit, why, and until when."""

    __tablename__ = "emergency_access"
    id = db.Column(db.String(32), primary_key=True, default=opaque_id)
    staff_id = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False, index=True)
    unit_id = db.Column(db.String(32), db.ForeignKey("unit.id"), nullable=False)
    resident_id = db.Column(db.String(32), db.ForeignKey("resident.id"), nullable=False, index=True)
    reason = db.Column(db.String(MAX_REASON), nullable=False)
    opened_at = db.Column(UtcDateTime, nullable=False)
    expires_at = db.Column(UtcDateTime, nullable=False)


class InvalidReason(ValueError):
    """The reason for emergency access is missing or longer than MAX_REASON."""


def blocks_of(resident_id: str) -> dict[str, Block]:
    """The resident's blocks in force, by unit id."""
    rows = db.session.scalars(select(Block).where(Block.resident_id == resident_id, Block.lifted_at.is_(None)))
    return {row.unit_id: row for row in rows}


def place(principal, unit_id: str, request_id: str | None = None) -> bool:
    """Block the resident's data at ``unit_id`` (a unit they have or had a program on); False if
    it already was."""
    if unit_id in blocks_of(principal.id):
        return False
    db.session.add(Block(resident_id=principal.id, unit_id=unit_id, placed_at=clock.now()))
    _own_row(principal, "create", unit_id, request_id)
    return True


def lift(principal, unit_id: str, request_id: str | None = None) -> bool:
    """Lift the resident's block at ``unit_id``; False if there was none."""
    block = blocks_of(principal.id).get(unit_id)
    if block is None:
        return False
    block.lifted_at = clock.now()
    _own_row(principal, "update", unit_id, request_id)
    return True


def _own_row(principal, action: str, unit_id: str, request_id: str | None) -> None:
    pdl.record(principal.access_context("invanare", request_id), action=action, resource_type="block",
               resource_id=unit_id, resident_id=principal.id, access_basis="self")


def blocked_for(resident_id: str, unit_id: str | None, care_provider_id: str | None) -> bool:
    """Whether a block by the resident at another unit of the same care provider stands in the way
    of staff working on ``unit_id``. The blocking unit's own staff are unaffected."""
    if unit_id is None:
        return False
    return bool(db.session.scalar(
        select(Block.id).join(Unit, Unit.id == Block.unit_id)
        .where(Block.resident_id == resident_id, Block.lifted_at.is_(None), Block.unit_id != unit_id,
               Unit.care_provider_id == care_provider_id).limit(1)))


def blocked_among(resident_ids, unit_id: str | None, care_provider_id: str | None) -> frozenset:
    """Of ``resident_ids``, those ``blocked_for`` would say are blocked on ``unit_id``: one query."""
    if unit_id is None or not resident_ids:
        return frozenset()
    return frozenset(db.session.scalars(
        select(Block.resident_id).join(Unit, Unit.id == Block.unit_id)
        .where(Block.resident_id.in_(set(resident_ids)), Block.lifted_at.is_(None), Block.unit_id != unit_id,
               Unit.care_provider_id == care_provider_id).distinct()))


def emergency_open_among(staff_id: str, unit_id: str | None, resident_ids) -> frozenset:
    """Of ``resident_ids``, those this staff member holds an open emergency access to from the unit."""
    if unit_id is None or not resident_ids:
        return frozenset()
    return frozenset(db.session.scalars(
        select(EmergencyAccess.resident_id).where(
            EmergencyAccess.staff_id == staff_id, EmergencyAccess.unit_id == unit_id,
            EmergencyAccess.resident_id.in_(set(resident_ids)), EmergencyAccess.expires_at > clock.now()).distinct()))


def emergency_open_for(staff_id: str, unit_id: str | None, resident_id: str) -> EmergencyAccess | None:
    """The staff member's emergency access to the resident from this unit, if still open."""
    return db.session.scalar(
        select(EmergencyAccess).where(EmergencyAccess.staff_id == staff_id, EmergencyAccess.unit_id == unit_id,
                                      EmergencyAccess.resident_id == resident_id,
                                      EmergencyAccess.expires_at > clock.now())
        .order_by(EmergencyAccess.expires_at.desc()).limit(1))


def open_emergency(principal, resident_id: str, reason: str, request_id: str | None = None) -> EmergencyAccess:
    """Open the resident's blocked data for EMERGENCY_HOURS: the record, the ``emergency_open``
    PDL row and a security event. Raises InvalidReason for an empty or too long reason."""
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidReason(reason)
    now = clock.now()
    access = EmergencyAccess(staff_id=principal.id, unit_id=principal.unit_id, resident_id=resident_id,
                             reason=reason, opened_at=now, expires_at=now + EMERGENCY_LIFETIME)
    db.session.add(access)
    db.session.flush()
    # The full reason stays in emergency_access; the PDL row holds what its column can.
    pdl.record(principal.access_context("behandlare", request_id), action="emergency_open",
               resource_type="resident", resource_id=resident_id, resident_id=resident_id,
               reason=reason[:200], access_basis="emergency")
    security_log.event("emergency_access", "ok", actor_type="staff", actor_id=principal.id,
                       subject=resident_id, detail=f"emergency_access={access.id} hours={EMERGENCY_HOURS}",
                       request_id=request_id)
    return access
