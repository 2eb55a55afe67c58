"""The logs: the PDL access log (append-only, hash-chained), the security event log, and the
record of log follow-up reviews (stickprov)."""
from __future__ import annotations

from engine import clock
from engine.db import UtcDateTime, db


class PdlEntry(db.Model):
    """One access to a resident's data (SECURITY.md §3.2). Never updated, never deleted."""

    __tablename__ = "pdl_entry"
    id = db.Column(db.BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    seq = db.Column(db.BigInteger, nullable=False, unique=True)
    ts = db.Column(UtcDateTime, nullable=False, index=True)
    actor_type = db.Column(db.String(16), nullable=False)
    actor_id = db.Column(db.String(32), nullable=False, index=True)
    actor_name = db.Column(db.String(200))
    role = db.Column(db.String(32))
    care_provider_id = db.Column(db.String(32), index=True)
    unit_id = db.Column(db.String(32), index=True)
    assignment_id = db.Column(db.String(32))
    purpose = db.Column(db.String(32))
    resident_id = db.Column(db.String(32), index=True)
    action = db.Column(db.String(32), nullable=False)
    resource_type = db.Column(db.String(32), nullable=False)
    resource_id = db.Column(db.String(64))
    outcome = db.Column(db.String(16), nullable=False)
    reason = db.Column(db.String(200))
    access_basis = db.Column(db.String(32))
    request_id = db.Column(db.String(32))
    prev_hash = db.Column(db.String(64), nullable=False)
    hash = db.Column(db.String(64), nullable=False)
    # How ``hash`` was made: "hmac-sha256" under the PDL key, or "sha256" (before migration 0009).
    scheme = db.Column(db.String(16), nullable=False, server_default="sha256")


class PdlChainHead(db.Model):
    """The chain's last link. Updating it first serializes writers, so the chain never forks."""

    __tablename__ = "pdl_chain_head"
    id = db.Column(db.Integer, primary_key=True)
    seq = db.Column(db.BigInteger, nullable=False, default=0)
    last_hash = db.Column(db.String(64), nullable=False)


class SecurityEvent(db.Model):
    """Sign-ins, failures, lockouts, role and assignment changes, uploads, publications."""

    __tablename__ = "security_event"
    id = db.Column(db.BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    ts = db.Column(UtcDateTime, nullable=False, default=clock.now, index=True)
    kind = db.Column(db.String(40), nullable=False)
    outcome = db.Column(db.String(16), nullable=False)
    actor_type = db.Column(db.String(16))
    actor_id = db.Column(db.String(32))
    subject = db.Column(db.String(200))
    detail = db.Column(db.String(300))
    request_id = db.Column(db.String(32))


class LogReview(db.Model):
    """A documented log follow-up: who reviewed which sample of which period, and the decision."""

    __tablename__ = "log_review"
    id = db.Column(db.String(32), primary_key=True)
    reviewer_id = db.Column(db.String(32), nullable=False)
    care_provider_id = db.Column(db.String(32), nullable=False, index=True)
    unit_id = db.Column(db.String(32))
    period_from = db.Column(db.Date, nullable=False)
    period_to = db.Column(db.Date, nullable=False)
    entry_ids = db.Column(db.JSON, nullable=False)
    decision = db.Column(db.String(16))  # ok | follow_up
    comment = db.Column(db.String(2000))
    created_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    decided_at = db.Column(UtcDateTime)


class PdlPurgeSwitch(db.Model):
    """Set only inside the retention job's own transaction (entries older than the retention
    period); the database refuses every other DELETE on pdl_entry, and every UPDATE."""

    __tablename__ = "pdl_purge_switch"
    id = db.Column(db.Integer, primary_key=True)
    allow = db.Column(db.Integer, nullable=False, default=0)
