"""The draft store's operations: create (blank, copy of a published version, import), save with a
stale-base check, history, restore and export. Every operation checks the principal first
(design/guard.py). Functions flush, the caller commits once; a refusal stores nothing."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from sqlalchemy import select

import engine
from access import security_log
from access.models import PublisherUnit
from engine import clock
from engine.db import db
from catalogue.models import CatalogueEntry
from design import guard, import_report, revisions, template, zips
from design.errors import DesignError, StaleRevision
from design.files import check_files
from design.models import DesignImportReport, DesignProgram, DesignRevision

MAX_NAME = 200


@dataclass(frozen=True)
class RevisionInfo:
    id: str
    parent_id: str | None
    author: str
    created_at: datetime
    message: str | None
    content_hash: str


def programs(principal) -> list[DesignProgram]:
    """The programs of the publisher units the principal designs for, by name."""
    units = guard.units_of(principal)
    return list(db.session.scalars(select(DesignProgram).where(DesignProgram.publisher_unit_id.in_(units))
                                   .order_by(DesignProgram.name))) if units else []


def program(principal, program_id: str) -> DesignProgram:
    found = db.session.get(DesignProgram, program_id)
    if found is None:
        raise DesignError("unknown_program", "no such program")
    guard.require(principal, found.publisher_unit_id, "open", program_id)
    return found


def create_blank(principal, publisher_unit_id: str, name: str) -> DesignProgram:
    return _create(principal, publisher_unit_id, name, template.blank(_name(name)), "created from the blank template")


def copyable_versions(principal) -> list[CatalogueEntry]:
    """The catalogue versions the principal may copy into drafts: those of programs their own
    publisher units published, by name, newest version first."""
    units = guard.units_of(principal)
    return list(db.session.scalars(
        select(CatalogueEntry).where(CatalogueEntry.publisher_unit_id.in_(units))
        .order_by(CatalogueEntry.name, CatalogueEntry.major.desc(), CatalogueEntry.minor.desc()))) if units else []


def create_from_version(principal, publisher_unit_id: str, version_hash: str, name: str | None = None) -> DesignProgram:
    """A new program whose first revision is a copy of a version the same publisher unit published."""
    guard.require(principal, publisher_unit_id, "copy")
    entry = db.session.get(CatalogueEntry, version_hash)
    files = engine.version_files(version_hash) if entry is not None else None
    if files is None:
        raise DesignError("unknown_version", "no such published version")
    guard.require_own_version(principal, publisher_unit_id, entry.publisher_unit_id, version_hash)
    return _create(principal, publisher_unit_id, name or f"{entry.name} (kopia)", files,
                   f"copied from {entry.program_key} {entry.version_label}")


def import_zip(principal, publisher_unit_id: str, data: bytes, name: str | None = None) -> DesignProgram:
    guard.require(principal, publisher_unit_id, "import")
    files = zips.read(data)
    return _create(principal, publisher_unit_id, name or _name_in(files), files, "imported from a zip")


def import_bpmn(principal, publisher_unit_id: str, filename: str, data: bytes,
                name: str | None = None) -> DesignProgram:
    """A BPMN file drawn in another tool as a new draft, with a program.json naming its main process
    and a report of what the platform does not run (design/import_report.py), kept with the first
    revision. Hostile or broken XML is refused naming the file; anything that parses is kept."""
    guard.require(principal, publisher_unit_id, "import")
    base = import_report.file_name(filename)
    program_name = _name(name or PurePosixPath(base).stem or "Importerat program")
    imported = import_report.prepare(base, data, program_name)
    created = _create(principal, publisher_unit_id, program_name, imported.files, "imported from a BPMN file")
    db.session.add(DesignImportReport(revision_id=created.head_revision_id, program_id=created.id,
                                      source_name=base[:200], entries=imported.entries))
    db.session.flush()
    return created


def import_report_of(principal, program_id: str) -> DesignImportReport | None:
    """The report made when the program was imported from a BPMN file; None for other programs."""
    found = program(principal, program_id)
    return db.session.scalar(select(DesignImportReport).where(DesignImportReport.program_id == found.id))


def save(principal, program_id: str, files: dict[str, bytes], based_on: str | None, author: str,
         message: str | None = None) -> DesignRevision:
    """A new head revision, or StaleRevision if ``based_on`` is not the head. The same files as the
    head give the head back: saving twice stores nothing twice."""
    found = program(principal, program_id)
    head = _head(found)
    if based_on != found.head_revision_id:
        raise StaleRevision(head.id, head.author, head.created_at, head.message)
    check_files(files)
    if head is not None and engine.content_hash(files) == head.content_hash:
        return head
    return revisions.write(found, files, found.head_revision_id, author, message)


def history(principal, program_id: str) -> list[RevisionInfo]:
    found = program(principal, program_id)
    return [RevisionInfo(r.id, r.parent_id, r.author, r.created_at, r.message, r.content_hash)
            for r in revisions.history(found.id)]


def files(principal, program_id: str, revision_id: str | None = None) -> dict[str, bytes]:
    """The files of a revision (default: the head)."""
    return revisions.files_of(_revision(program(principal, program_id), revision_id))


def restore(principal, program_id: str, revision_id: str, author: str, *,
            request_id: str | None = None) -> DesignRevision:
    """A new head with an old revision's files; nothing is lost, the history only grows."""
    found = program(principal, program_id)
    old = _revision(found, revision_id)
    head = _head(found)
    if head.content_hash == old.content_hash:
        return head
    revision = revisions.write(found, revisions.files_of(old), head.id, author,
                               f"restored {old.id[:12]} from {old.created_at:%Y-%m-%d %H:%M}")
    security_log.event("design_restored", "ok", actor_type="staff", actor_id=author, subject=found.id,
                       detail=f"revision {old.id[:12]} as {revision.id[:12]}", request_id=request_id)
    return revision


def export_zip(principal, program_id: str, revision_id: str | None = None) -> bytes:
    """The revision as a zip of the package folder; unzipped, ``vardflode validate`` reads it as is."""
    return zips.write(files(principal, program_id, revision_id))


def _create(principal, publisher_unit_id: str, name: str, files: dict[str, bytes], how: str) -> DesignProgram:
    guard.require(principal, publisher_unit_id, "create")
    if db.session.get(PublisherUnit, publisher_unit_id) is None:
        raise DesignError("unknown_publisher", "no such publisher unit")
    check_files(files)  # before anything is added: a refusal stores nothing
    created = DesignProgram(publisher_unit_id=publisher_unit_id, name=_name(name), state="draft",
                            created_by=principal.id, created_at=clock.now())
    db.session.add(created)
    db.session.flush()
    revisions.write(created, files, None, principal.id, how)
    security_log.event("design_program_created", "ok", actor_type="staff", actor_id=principal.id,
                       subject=created.id, detail=f"{how} in publisher unit {publisher_unit_id}")
    return created


def _head(found: DesignProgram) -> DesignRevision | None:
    return db.session.get(DesignRevision, found.head_revision_id) if found.head_revision_id else None


def _revision(found: DesignProgram, revision_id: str | None) -> DesignRevision:
    revision = db.session.get(DesignRevision, revision_id or found.head_revision_id or "")
    if revision is None or revision.program_id != found.id:
        raise DesignError("unknown_revision", "no such revision of this program")
    return revision


def _name(name: str | None) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise DesignError("no_name", "the program needs a name")
    return cleaned[:MAX_NAME]


def _name_in(files: dict[str, bytes]) -> str:
    """The name program.json gives, else the first BPMN file's."""
    try:
        meta = json.loads(files.get("program.json", b"{}"))
    except ValueError:
        meta = {}
    name = meta.get("name") if isinstance(meta, dict) else None
    if isinstance(name, str) and name.strip():
        return name
    bpmn = sorted(n for n in files if n.endswith(".bpmn"))
    return PurePosixPath(bpmn[0]).stem if bpmn else "Importerat program"
