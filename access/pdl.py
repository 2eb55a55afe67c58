"""The PDL access log: one row per access to a resident's data, written in the same transaction
as the access, hash-chained so an edited or removed row is detected (``vardflode pdl-verify``).

There is deliberately no function here that updates or deletes an entry; the database refuses
both with triggers (see the access migration).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from engine import clock
from engine.db import db
from access.records import PdlChainHead, PdlEntry

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq", "ts", "actor_type", "actor_id", "actor_name", "role", "care_provider_id", "unit_id",
    "assignment_id", "purpose", "resident_id", "action", "resource_type", "resource_id", "outcome",
    "reason", "access_basis", "request_id",
)
ACTIONS = {"read", "list", "search_hit", "create", "update", "export", "message_send", "emergency_open"}


@dataclass(frozen=True)
class AccessContext:
    """Who is reading, from where and why: taken from the principal for each request."""

    actor_type: str
    actor_id: str
    actor_name: str | None
    role: str | None
    care_provider_id: str | None
    unit_id: str | None
    assignment_id: str | None
    purpose: str | None
    request_id: str | None = None


def record(ctx: AccessContext, *, action: str, resource_type: str, resource_id: str | None,
           resident_id: str | None, outcome: str = "allowed", reason: str | None = None,
           access_basis: str | None = None) -> PdlEntry:
    if action not in ACTIONS:
        raise ValueError(f"unknown PDL action {action!r}")
    seq, prev_hash = _advance_head()
    values = dict(
        seq=seq, ts=clock.now(), actor_type=ctx.actor_type, actor_id=ctx.actor_id,
        actor_name=ctx.actor_name, role=ctx.role, care_provider_id=ctx.care_provider_id,
        unit_id=ctx.unit_id, assignment_id=ctx.assignment_id, purpose=ctx.purpose,
        resident_id=resident_id, action=action, resource_type=resource_type,
        resource_id=resource_id, outcome=outcome, reason=reason, access_basis=access_basis,
        request_id=ctx.request_id)
    digest = link_hash(prev_hash, values)
    db.session.execute(insert(PdlEntry.__table__).values(prev_hash=prev_hash, hash=digest, **values))
    db.session.execute(update(PdlChainHead).where(PdlChainHead.id == 1).values(last_hash=digest))
    return values


def _advance_head() -> tuple[int, str]:
    """Bump the head first: that takes the write lock, so concurrent writers queue here."""
    table = PdlChainHead.__table__
    row = db.session.execute(update(table).where(table.c.id == 1).values(seq=table.c.seq + 1)
                             .returning(table.c.seq, table.c.last_hash)).one_or_none()
    if row is None:
        db.session.execute(insert(table).values(id=1, seq=1, last_hash=GENESIS))
        return 1, GENESIS
    return row.seq, row.last_hash


def link_hash(prev_hash: str, values: dict) -> str:
    canonical = json.dumps({k: _plain(values.get(k)) for k in CHAINED_FIELDS}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str | None = None


def verify(batch: int = 5000) -> ChainReport:
    """Recompute every link. An edited, inserted or removed row breaks the chain where it is."""
    prev, expected_seq, count, last_seq = GENESIS, 1, 0, 0
    while True:
        rows = db.session.scalars(select(PdlEntry).where(PdlEntry.seq > last_seq)
                                  .order_by(PdlEntry.seq).limit(batch)).all()
        if not rows:
            break
        for row in rows:
            if row.seq != expected_seq:
                return ChainReport(False, count, expected_seq, "an entry is missing")
            if row.prev_hash != prev:
                return ChainReport(False, count, row.seq, "the link to the previous entry is broken")
            if link_hash(prev, {k: getattr(row, k) for k in CHAINED_FIELDS}) != row.hash:
                return ChainReport(False, count, row.seq, "the entry was changed after it was written")
            prev, expected_seq, last_seq, count = row.hash, expected_seq + 1, row.seq, count + 1
    head = db.session.get(PdlChainHead, 1)
    if head is not None and (head.seq != last_seq or head.last_hash != prev):
        return ChainReport(False, count, last_seq + 1, "entries at the end of the log are missing")
    return ChainReport(True, count)
