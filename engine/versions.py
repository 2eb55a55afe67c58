"""Reading stored program versions: what they are called, and the pictures their packages carry."""
from __future__ import annotations

from sqlalchemy import select

from engine import package
from engine.db import db
from engine.models import ProgramVersion
from engine.records import Version

# The light columns: a version's files and parsed spec can be megabytes.
_LISTED = (ProgramVersion.content_hash, ProgramVersion.name, ProgramVersion.main_process, ProgramVersion.meta,
           ProgramVersion.created_at)


def version(version_hash: str) -> Version | None:
    """The stored version with this content hash, or None."""
    row = db.session.execute(select(*_LISTED).where(ProgramVersion.content_hash == version_hash)).one_or_none()
    return None if row is None else Version(*row)


def versions() -> list[Version]:
    """Every stored version, by name."""
    rows = db.session.execute(select(*_LISTED).order_by(ProgramVersion.name))
    return [Version(*row) for row in rows]


def media_file(version_hash: str, path: str) -> tuple[bytes, str] | None:
    """A picture of the version's package (``media/x.png``) and its type; None if it has none."""
    if not package.MEDIA_PATH.match(path):
        return None
    # Only this one file out of the version's JSON (a package may hold megabytes of pictures).
    stored = db.session.scalar(select(ProgramVersion.files[path].as_string())
                               .where(ProgramVersion.content_hash == version_hash))
    return package.stored_media({path: stored} if stored else {}, path)


def version_files(version_hash: str) -> dict[str, bytes] | None:
    """The package files of a stored version, as they were checked (a copy to design from); None if
    there is no such version."""
    stored = db.session.scalar(select(ProgramVersion.files).where(ProgramVersion.content_hash == version_hash))
    return None if stored is None else package.restored_files(stored)
