"""The PDL access log: one row per access to a resident's data, written in the same transaction
as the access, chained so an edited or removed row is detected (``vardflode pdl-verify``).

Each link is an HMAC-SHA256 under the PDL key (VARDFLODE_PDL_KEY), which is kept outside the
database: a plain hash chain can be recomputed by whoever can write the database, a keyed one
cannot. Entries written before the key (migration 0009) keep their plain SHA-256 links and are
marked ``scheme = 'sha256'``; the first keyed entry links to the last of them, so they stay
covered. Removing the newest entries and moving the head back leaves a valid chain, which only a
record outside the database can reveal: the signed checkpoints of access/pdl_anchor.py.

There is deliberately no function here that updates or deletes an entry; the database refuses
both with triggers (see the access migration).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, insert, select, update

from engine import clock
from engine.db import db
from access import pdl_anchor
from access.pdl_anchor import Checkpoint, ForgedCheckpoint
from access.records import PdlChainHead, PdlEntry, PdlPurgeSwitch

log = logging.getLogger("vardflode.pdl")

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq", "ts", "actor_type", "actor_id", "actor_name", "role", "care_provider_id", "unit_id",
    "assignment_id", "purpose", "resident_id", "action", "resource_type", "resource_id", "outcome",
    "reason", "access_basis", "request_id",
)
LEGACY = "sha256"  # links written before the key: plain SHA-256, anyone can recompute them
KEYED = "hmac-sha256"  # links under the PDL key
_ENTRY_PURPOSE = b"vardflode pdl entry\n"
ACTIONS = {"read", "list", "search_hit", "create", "update", "export", "message_send", "emergency_open"}


@dataclass(frozen=True)
class _Binding:
    key: bytes = field(repr=False)  # a logged binding leaks nothing
    anchor_dir: Path


_binding: _Binding | None = None


def configure(key: bytes, anchor_dir: Path) -> None:
    """Bind the PDL key and the checkpoint folder for this process (``create_app`` does)."""
    global _binding
    _binding = _Binding(key, Path(anchor_dir))


def _bound() -> _Binding:
    if _binding is None:
        raise RuntimeError("the PDL log is not configured: create the app first (create_app binds its key)")
    return _binding


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


@dataclass(frozen=True)
class Access:
    """One access to log: what was looked at, of whom, with what outcome."""

    action: str
    resource_type: str
    resource_id: str | None
    resident_id: str | None
    outcome: str = "allowed"
    reason: str | None = None
    access_basis: str | None = None


def record(ctx: AccessContext, *, action: str, resource_type: str, resource_id: str | None,
           resident_id: str | None, outcome: str = "allowed", reason: str | None = None,
           access_basis: str | None = None) -> dict:
    """Log one access; returns the entry's values."""
    access = Access(action, resource_type, resource_id, resident_id, outcome, reason, access_basis)
    return record_many([(ctx, access)])[0]


def record_many(accesses: list[tuple[AccessContext, Access]]) -> list[dict]:
    """Log several accesses of one request (a list page shows many residents) as consecutive
    entries: every entry is its own link, as searchable and verifiable as any, but the chain head
    is advanced once and the rows are written in one statement, so a page of fifty residents
    costs one head update instead of fifty."""
    for _, access in accesses:
        if access.action not in ACTIONS:
            raise ValueError(f"unknown PDL action {access.action!r}")
    if not accesses:
        return []
    last_seq, prev_hash = _advance_head(len(accesses))
    now, key, rows = clock.now(), _bound().key, []
    for seq, (ctx, access) in enumerate(accesses, start=last_seq - len(accesses) + 1):
        values = _values(seq, now, ctx, access)
        digest = link_hmac(key, prev_hash, values)
        rows.append(dict(values, prev_hash=prev_hash, hash=digest, scheme=KEYED))
        prev_hash = digest
    db.session.execute(insert(PdlEntry.__table__), rows)
    db.session.execute(update(PdlChainHead).where(PdlChainHead.id == 1).values(last_hash=prev_hash))
    return [{k: row[k] for k in CHAINED_FIELDS} for row in rows]


def _values(seq: int, ts, ctx: AccessContext, access: Access) -> dict:
    return dict(
        seq=seq, ts=ts, actor_type=ctx.actor_type, actor_id=ctx.actor_id, actor_name=ctx.actor_name,
        role=ctx.role, care_provider_id=ctx.care_provider_id, unit_id=ctx.unit_id,
        assignment_id=ctx.assignment_id, purpose=ctx.purpose, resident_id=access.resident_id,
        action=access.action, resource_type=access.resource_type, resource_id=access.resource_id,
        outcome=access.outcome, reason=access.reason, access_basis=access.access_basis,
        request_id=ctx.request_id)


def _advance_head(count: int = 1) -> tuple[int, str]:
    """Bump the head by ``count`` first: that takes the write lock, so concurrent writers queue
    here. Returns the last sequence number taken and the hash the first new entry links to."""
    table = PdlChainHead.__table__
    row = db.session.execute(update(table).where(table.c.id == 1).values(seq=table.c.seq + count)
                             .returning(table.c.seq, table.c.last_hash)).one_or_none()
    if row is None:
        db.session.execute(insert(table).values(id=1, seq=count, last_hash=GENESIS))
        return count, GENESIS
    return row.seq, row.last_hash


def link_hmac(key: bytes, prev_hash: str, values: dict) -> str:
    """The link of a keyed entry: computable only with the PDL key."""
    message = _ENTRY_PURPOSE + (prev_hash + _canonical(values)).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def link_hash(prev_hash: str, values: dict) -> str:
    """The link of an entry written before the key (scheme ``sha256``); kept only to verify those."""
    return hashlib.sha256((prev_hash + _canonical(values)).encode("utf-8")).hexdigest()


def _canonical(values: dict) -> str:
    return json.dumps({k: _plain(values.get(k)) for k in CHAINED_FIELDS}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str | None = None
    checkpoints: int = 0  # how many checkpoints were checked; 0: a removed tail goes unseen


def verify(batch: int = 5000) -> ChainReport:
    """Check the checkpoints' signatures, then recompute every link: an edited, inserted or
    removed row breaks the chain where it is; a row missing since a checkpoint fails against it."""
    key = _bound().key
    try:
        checkpoints = pdl_anchor.read_all(key, _bound().anchor_dir)
    except ForgedCheckpoint as forged:
        return ChainReport(False, 0, None, str(forged))
    walk = _Walk(key, checkpoints)
    last_seq = walk.expected_seq - 1  # entries up to a retention checkpoint were removed on purpose
    while True:
        rows = db.session.scalars(select(PdlEntry).where(PdlEntry.seq > last_seq)
                                  .order_by(PdlEntry.seq).limit(batch)).all()
        if not rows:
            break
        for row in rows:
            problem = walk.step(row)
            if problem:
                return ChainReport(False, walk.count, *problem, len(checkpoints))
            last_seq = row.seq
    problem = walk.finish() or _head_problem(last_seq, walk.prev)
    if problem:
        return ChainReport(False, walk.count, problem[0], problem[1], len(checkpoints))
    return ChainReport(True, walk.count, checkpoints=len(checkpoints))


class _Walk:
    """The chain read in order, entry by entry, against the checkpoints."""

    def __init__(self, key: bytes, checkpoints: list[Checkpoint]):
        self.key, self.prev, self.expected_seq, self.count = key, GENESIS, 1, 0
        self.keyed_seen = False
        # The oldest checkpoint's keyed_from is the one written nearest the switch to the key.
        self.keyed_from = min((c.keyed_from for c in checkpoints), default=None)
        # Retention removed the start of the log: the chain is read on from the newest such mark,
        # whose signed hash the first entry left must link to.
        start = max((c for c in checkpoints if c.kind == pdl_anchor.RETENTION), key=lambda c: c.seq, default=None)
        if start is not None:
            self.prev, self.expected_seq = start.hash, start.seq + 1
        heads = [c for c in checkpoints if c.kind == pdl_anchor.HEAD]
        self.checkpointed = {c.seq: c for c in heads if c.seq >= self.expected_seq}
        self.latest = max(heads, key=lambda c: c.seq, default=None)

    def step(self, row: PdlEntry) -> tuple[int, str] | None:
        """None if the row holds, else (the first bad sequence number, why)."""
        if row.seq != self.expected_seq:
            return self.expected_seq, "an entry is missing"
        if row.prev_hash != self.prev:
            return row.seq, "the link to the previous entry is broken"
        problem = self._scheme_problem(row) or self._hash_problem(row) or self._checkpoint_problem(row)
        if problem:
            return row.seq, problem
        self.prev, self.expected_seq, self.count = row.hash, self.expected_seq + 1, self.count + 1
        self.keyed_seen = self.keyed_seen or row.scheme == KEYED
        return None

    def _scheme_problem(self, row: PdlEntry) -> str | None:
        if row.scheme == KEYED:
            return None
        if row.scheme != LEGACY:
            return f"the entry has an unknown link scheme {row.scheme!r}"
        # An unkeyed link is only believed where there was no key yet: never after a keyed entry,
        # never at or after the first keyed sequence number a checkpoint recorded.
        if self.keyed_seen or (self.keyed_from is not None and row.seq >= self.keyed_from):
            return "an unkeyed entry where the log was already keyed (rewritten without the key)"
        return None

    def _hash_problem(self, row: PdlEntry) -> str | None:
        values = {k: getattr(row, k) for k in CHAINED_FIELDS}
        expected = link_hmac(self.key, self.prev, values) if row.scheme == KEYED else link_hash(self.prev, values)
        if not hmac.compare_digest(expected, row.hash):
            return "the entry was changed after it was written"
        return None

    def _checkpoint_problem(self, row: PdlEntry) -> str | None:
        checkpoint = self.checkpointed.get(row.seq)
        if checkpoint is not None and checkpoint.hash != row.hash:
            return f"the entry differs from the checkpoint of {checkpoint.at}"
        return None

    def finish(self) -> tuple[int, str] | None:
        """The chain ended: a checkpoint beyond its end means its newest entries were removed."""
        last_seq = self.expected_seq - 1
        if self.latest is not None and self.latest.seq > last_seq:
            return last_seq + 1, (f"entries after {last_seq} are missing: the checkpoint of {self.latest.at} "
                                  f"saw the log up to entry {self.latest.seq}")
        return None


def _head_problem(last_seq: int, last_hash: str) -> tuple[int, str] | None:
    head = db.session.get(PdlChainHead, 1)
    if head is not None and (head.seq != last_seq or head.last_hash != last_hash):
        return last_seq + 1, "entries at the end of the log are missing"
    return None


def remove_past_retention(cutoff) -> int:
    """Remove the entries older than ``cutoff`` from the start of the log, through the purge switch
    the database's guard lets a DELETE through for, inside this transaction only (the caller
    commits). Only a contiguous start is removed: up to the entry before the first one written at
    or after ``cutoff``, whoever's it is, so the chain stays whole from there on. A signed retention
    checkpoint of the last removed entry goes to the anchor first, so verification starts after
    it and anything else missing is still found. Returns how many entries went."""
    first_kept = db.session.scalar(select(func.min(PdlEntry.seq)).where(PdlEntry.ts >= cutoff))
    if first_kept is None:  # every entry is old: keep the newest, the head links to it
        first_kept = db.session.scalar(select(func.max(PdlEntry.seq)))
    last_removed = db.session.scalar(select(PdlEntry).where(PdlEntry.seq < (first_kept or 0))
                                     .order_by(PdlEntry.seq.desc()).limit(1))
    if last_removed is None:
        return 0
    binding = _bound()
    pdl_anchor.append(binding.key, binding.anchor_dir, Checkpoint(
        seq=last_removed.seq, hash=last_removed.hash, at=clock.now().isoformat(),
        keyed_from=_keyed_from(binding, last_removed.seq), kind=pdl_anchor.RETENTION))
    switch = PdlPurgeSwitch.__table__
    db.session.execute(insert(switch).values(id=_SWITCH_ID, allow=1))
    try:
        gone = db.session.execute(delete(PdlEntry).where(PdlEntry.seq <= last_removed.seq)).rowcount or 0
    finally:
        db.session.execute(delete(switch).where(switch.c.id == _SWITCH_ID))
    return gone


_SWITCH_ID = 1  # the one row of pdl_purge_switch, there only inside remove_past_retention


def anchor_file() -> Path:
    """The file the checkpoints are appended to."""
    return pdl_anchor.path(_bound().anchor_dir)


def checkpoint() -> Checkpoint:
    """Append a signed checkpoint of the chain head as committed now to the anchor file."""
    binding = _bound()
    head = db.session.get(PdlChainHead, 1)
    seq, last_hash = (head.seq, head.last_hash) if head is not None else (0, GENESIS)
    taken = Checkpoint(seq=seq, hash=last_hash, at=clock.now().isoformat(),
                       keyed_from=_keyed_from(binding, seq))
    db.session.rollback()  # only read; end the transaction so no snapshot or lock is held on
    pdl_anchor.append(binding.key, binding.anchor_dir, taken)
    return taken


def _keyed_from(binding: _Binding, head_seq: int) -> int:
    """The first keyed sequence number: once recorded by the first checkpoint it stays (an
    attacker could since have relabelled keyed entries); before that, asked of the log."""
    first = pdl_anchor.read_first(binding.key, binding.anchor_dir)
    if first is not None:
        return first.keyed_from
    first_keyed = db.session.scalar(select(PdlEntry.seq).where(PdlEntry.scheme == KEYED)
                                     .order_by(PdlEntry.seq).limit(1))
    return first_keyed if first_keyed is not None else head_seq + 1


def checkpoint_when_due(interval_seconds: float, last_at: float | None) -> float | None:
    """For the scheduler's loop: take a checkpoint if ``interval_seconds`` have passed since
    ``last_at`` (time.monotonic(); None: never), and return the new ``last_at``. A failure is
    logged and retried at the next interval: the timers must not stop for the anchor."""
    now = time.monotonic()
    if last_at is not None and now - last_at < interval_seconds:
        return last_at
    try:
        taken = checkpoint()
        log.info("PDL checkpoint at entry %s", taken.seq)
    except Exception:
        log.exception("PDL checkpoint failed; retrying at the next interval")
        db.session.rollback()
    return now
