"""The approval a version needs before it reaches the catalogue (R22–R26), and the rules that
hold whoever calls: four eyes, the same publisher unit, never a training unit.

``approve`` records the decision of a publisher of the program's publisher unit on one exact
version (its content hash) and publishes it; ``publishing.publish`` refuses any version without
such a record. Each refusal is a security event. Functions flush; the caller commits once.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

import engine
from access import security_log
from access.models import PublisherUnit, RoleGrant
from catalogue import audit
from catalogue.errors import CatalogueError
from catalogue.models import Approval, CatalogueEntry
from engine import clock
from engine.db import db

KINDS = ("minor", "major")
PUBLISHER_ROLE = "utgivare"


@dataclass(frozen=True)
class Decision:
    """What the publisher decided on, and who stands behind the version."""

    version_hash: str
    publisher_unit_id: str
    approver_id: str
    submitted_by: str
    authors: frozenset  # everyone who saved a revision of the draft
    release_notes: str
    change_kind: str
    process_instance_id: str | None = None


def approve(decision: Decision, *, request_id: str | None = None) -> CatalogueEntry:
    """Record the approval of exactly this version and publish it; refused (CatalogueError, with a
    security event) unless every rule holds."""
    check(decision, request_id=request_id)
    version = engine.version(decision.version_hash)
    meta = version.meta or {}
    approval = Approval(version_hash=decision.version_hash, publisher_unit_id=decision.publisher_unit_id,
                        program_key=str(meta.get("id") or "")[:100], version_label=str(meta.get("version") or "")[:20],
                        change_kind=decision.change_kind, release_notes=decision.release_notes,
                        submitted_by=decision.submitted_by, approved_by=decision.approver_id,
                        approved_at=clock.now(), process_instance_id=decision.process_instance_id)
    db.session.add(approval)
    db.session.flush()
    audit.record(approval.program_key, "approved", decision.approver_id, PUBLISHER_ROLE,
                 decision.publisher_unit_id, decision.version_hash, detail=decision.change_kind)
    from catalogue.publishing import publish  # publishing reads approvals: no import cycle at load
    return publish(decision.version_hash, decision.publisher_unit_id, decision.approver_id, request_id=request_id)


def approval_of(version_hash: str) -> Approval | None:
    return db.session.get(Approval, version_hash)


def is_publisher_of(staff_id: str, publisher_unit_id: str) -> bool:
    """Whether the person holds the publisher role on that publisher unit right now."""
    return db.session.scalar(select(RoleGrant.id).where(
        RoleGrant.staff_id == staff_id, RoleGrant.role == PUBLISHER_ROLE, RoleGrant.scope_type == "publisher_unit",
        RoleGrant.scope_id == publisher_unit_id, RoleGrant.revoked_at.is_(None)).limit(1)) is not None


def check(decision: Decision, *, request_id: str | None = None) -> None:
    """Every rule an approval must hold; CatalogueError (and a security event) for the first broken."""
    unit = db.session.get(PublisherUnit, decision.publisher_unit_id)
    if unit is None:
        _refuse(decision, "unknown_publisher", "no such publisher unit", request_id)
    if unit.training:  # R26: a training unit is a lab; nothing from it reaches care
        _refuse(decision, "training_publisher", "a training publisher unit can never publish", request_id)
    if not is_publisher_of(decision.approver_id, unit.id):
        _refuse(decision, "not_publisher", "only a publisher of the program's publisher unit may approve", request_id)
    if decision.approver_id == decision.submitted_by or decision.approver_id in decision.authors:
        _refuse(decision, "four_eyes", "the approver submitted the version or saved a revision of it", request_id)
    if decision.change_kind not in KINDS:
        _refuse(decision, "bad_change_kind", "a version is a minor or a major change", request_id)
    if engine.version(decision.version_hash) is None:
        _refuse(decision, "unknown_version", "no such program version", request_id)
    if approval_of(decision.version_hash) is not None:
        _refuse(decision, "already_approved", "this version has already been approved", request_id)


def _refuse(decision: Decision, code: str, message: str, request_id: str | None):
    security_log.event("publishing_refused", "denied", actor_type="staff", actor_id=decision.approver_id,
                       subject=decision.version_hash, detail=f"{code}: {message}", request_id=request_id)
    raise CatalogueError(code, message)
