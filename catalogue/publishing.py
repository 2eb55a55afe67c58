"""Publishing a stored program version into the content catalogue (R24, R26, R46, R83).

What the catalogue says about a program comes from its own program.json, so the entry and the
version can never disagree: ``id`` (stable across versions), ``version`` ("MAJOR.MINOR"),
``name``, ``kind``, ``languages``, ``journal_items`` and ``open``.
"""
from __future__ import annotations

import re

from sqlalchemy import select

import engine
from access import security_log
from access.models import PublisherUnit
from engine import clock
from engine.db import db
from catalogue import audit
from catalogue.errors import CatalogueError
from catalogue.models import Approval, CatalogueEntry

PROGRAM_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
VERSION_LABEL = re.compile(r"(\d{1,4})\.(\d{1,4})")


def publish(version_hash: str, publisher_unit_id: str, published_by: str, *,
            request_id: str | None = None) -> CatalogueEntry:
    """Put an approved version in the catalogue under its publisher unit; raise CatalogueError if
    refused. Called by ``approvals.approve``: a version the approval did not approve is refused."""
    publisher = db.session.get(PublisherUnit, publisher_unit_id)
    if publisher is None:
        raise CatalogueError("unknown_publisher", "no such publisher unit")
    if publisher.training:  # R26: a training unit is a lab; nothing from it reaches care
        raise CatalogueError("training_publisher", "a training publisher unit can never publish to the catalogue")
    version = engine.version(version_hash)
    if version is None:
        raise CatalogueError("unknown_version", "no such program version")
    if db.session.get(CatalogueEntry, version_hash) is not None:
        raise CatalogueError("already_published", "this version is already in the catalogue")
    approval = db.session.get(Approval, version_hash)
    if approval is None or approval.publisher_unit_id != publisher.id:
        # Nothing reaches the catalogue without a recorded approval of these exact bytes.
        security_log.event("publishing_refused", "denied", actor_type="staff", actor_id=published_by,
                           subject=version_hash, detail="not_approved: no recorded approval of this version",
                           request_id=request_id)
        raise CatalogueError("not_approved", "this version has no recorded approval (catalogue/approvals.py)")
    entry = _entry_from(version)
    _check_ownership_and_label(entry, publisher.id)
    entry.publisher_unit_id, entry.published_by, entry.published_at = publisher.id, published_by, clock.now()
    db.session.add(entry)
    db.session.flush()
    security_log.event("program_published", "ok", actor_type="staff", actor_id=published_by,
                       subject=version_hash, detail=f"{entry.program_key} {entry.version_label}",
                       request_id=request_id)
    audit.record(entry.program_key, "published", published_by, "utgivare", publisher.id, version_hash,
                 detail=entry.version_label)
    return entry


def _entry_from(version: engine.Version) -> CatalogueEntry:
    meta = version.meta or {}
    key, label, kind = meta.get("id"), meta.get("version"), meta.get("kind")
    if not isinstance(key, str) or not PROGRAM_KEY.fullmatch(key):
        raise CatalogueError("no_program_id", "program.json needs an 'id' (lower-case letters, digits, _ and -)")
    match = VERSION_LABEL.fullmatch(label) if isinstance(label, str) else None
    if match is None:
        raise CatalogueError("bad_version_label", "program.json needs a 'version' written as MAJOR.MINOR, e.g. 1.0")
    if not isinstance(kind, str) or not kind.strip():
        raise CatalogueError("no_kind", "program.json needs a 'kind' (treatment, education, self_rating, ...)")
    major, minor = int(match.group(1)), int(match.group(2))
    return CatalogueEntry(
        version_hash=version.content_hash, program_key=key, version_label=f"{major}.{minor}", major=major,
        minor=minor, name=str(meta.get("name") or version.name)[:200], kind=kind.strip()[:32],
        languages=_texts(meta.get("languages") or [], "languages"),
        journal_items=None if "journal_items" not in meta else _texts(meta["journal_items"], "journal_items"),
        open_program=meta.get("open") is True)


def _texts(value, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CatalogueError(f"bad_{what}", f"program.json '{what}' must be a list of texts")
    return value


def _check_ownership_and_label(entry: CatalogueEntry, publisher_id: str) -> None:
    """A program belongs to the publisher unit that first published it; each label is used once."""
    siblings = db.session.scalars(select(CatalogueEntry).where(CatalogueEntry.program_key == entry.program_key)).all()
    if any(s.publisher_unit_id != publisher_id for s in siblings):
        raise CatalogueError("other_publisher", "this program belongs to another publisher unit")
    if any((s.major, s.minor) == (entry.major, entry.minor) for s in siblings):
        raise CatalogueError("duplicate_label", f"version {entry.version_label} of this program is already published")
