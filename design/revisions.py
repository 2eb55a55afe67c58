"""Revisions and their file contents: written once, never changed, each content stored once."""
from __future__ import annotations

import hashlib

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

import engine
from engine import clock
from engine.db import db
from design.errors import StaleRevision
from design.models import DesignBlob, DesignProgram, DesignRevision


def revision_id(program_id: str, parent_id: str | None, content_hash: str) -> str:
    """What was saved, in which program, on top of what: a restore of old files is a new revision."""
    return hashlib.sha256(f"{program_id}\0{parent_id or ''}\0{content_hash}".encode()).hexdigest()


def write(program: DesignProgram, files: dict[str, bytes], parent_id: str | None, author: str,
          message: str | None) -> DesignRevision:
    """A new revision with ``files`` on top of ``parent_id``, made the program's head. The caller
    has checked the files and that ``parent_id`` is the head."""
    content = engine.content_hash(files)
    rid = revision_id(program.id, parent_id, content)
    existing = db.session.get(DesignRevision, rid)
    if existing is not None:  # cannot happen for a head-based save; kept so a retry is harmless
        return existing
    manifest = {name: _blob(data) for name, data in files.items()}
    revision = DesignRevision(id=rid, program_id=program.id, parent_id=parent_id, content_hash=content,
                              files=manifest, author=author, message=(message or None) and message[:500],
                              created_at=clock.now())
    db.session.add(revision)
    db.session.flush()
    _move_head(program, parent_id, rid)
    return revision


def _move_head(program: DesignProgram, parent_id: str | None, rid: str) -> None:
    """Move the head only if it is still ``parent_id`` in the database: two saves on the same base
    that both passed the store's check in memory cannot both win (the loser's update matches no
    row once the winner's is committed; PostgreSQL re-reads the row after the lock)."""
    still = (DesignProgram.head_revision_id.is_(None) if parent_id is None
             else DesignProgram.head_revision_id == parent_id)
    moved = db.session.execute(update(DesignProgram).where(DesignProgram.id == program.id, still)
                               .values(head_revision_id=rid).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.expire(program)
        head = db.session.get(DesignRevision, program.head_revision_id)
        raise StaleRevision(head.id, head.author, head.created_at, head.message)
    set_committed_value(program, "head_revision_id", rid)


def _blob(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    if db.session.get(DesignBlob, digest) is None:
        db.session.add(DesignBlob(sha256=digest, size=len(data), data=data))
    return digest


def files_of(revision: DesignRevision) -> dict[str, bytes]:
    manifest = revision.files
    blobs = dict(db.session.execute(select(DesignBlob.sha256, DesignBlob.data)
                                    .where(DesignBlob.sha256.in_(set(manifest.values())))).all())
    return {name: bytes(blobs[digest]) for name, digest in sorted(manifest.items())}


def history(program_id: str) -> list[DesignRevision]:
    """Newest first; revisions of the same instant by the chain (a child after its parent)."""
    rows = list(db.session.scalars(select(DesignRevision).where(DesignRevision.program_id == program_id)
                                    .order_by(DesignRevision.created_at.desc())))
    return _by_chain(rows)


def _by_chain(rows: list[DesignRevision]) -> list[DesignRevision]:
    """Several saves in one clock tick (tests, a frozen clock) would tie on time: order by parents."""
    depth, by_id = {}, {r.id: r for r in rows}
    for row in rows:  # iterative: a long history must not hit the recursion limit
        chain, current = [], row
        while current is not None and current.id not in depth:
            chain.append(current)
            current = by_id.get(current.parent_id)
        level = -1 if current is None else depth[current.id]
        for item in reversed(chain):
            level += 1
            depth[item.id] = level
    return sorted(rows, key=lambda r: (r.created_at, depth[r.id]), reverse=True)
