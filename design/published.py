"""The catalogue version a draft is compared with: the newest published version of the same
program (program.json's ``id``) that the draft's own publisher unit published. Another unit's
version is never shown, as it may not be copied either (design/store.py); the draft then
compares with nothing, as a first publication does."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

import engine
from catalogue.models import CatalogueEntry
from design import store, text_diff
from engine.db import db


@dataclass(frozen=True)
class PublishedBase:
    program_key: str | None  # program.json's id in the draft, None when it has none
    entry: CatalogueEntry | None  # the version compared with
    files: dict | None  # its files; None when there is nothing to compare with
    other_unit: bool = False  # the id is another publisher unit's program


def published_base(principal, program_id: str, revision_id: str | None = None) -> PublishedBase:
    """What the revision (default: the head) is compared with; the store checks the principal."""
    draft = store.program(principal, program_id)
    files = store.files(principal, program_id, revision_id)
    key = (text_diff.read_json(files.get("program.json")) or {}).get("id")
    if not isinstance(key, str) or not key:
        return PublishedBase(None, None, None)
    entries = list(db.session.scalars(select(CatalogueEntry).where(CatalogueEntry.program_key == key)
                                      .order_by(CatalogueEntry.major.desc(), CatalogueEntry.minor.desc())))
    own = [entry for entry in entries if entry.publisher_unit_id == draft.publisher_unit_id]
    if not own:
        return PublishedBase(key, None, None, other_unit=bool(entries))
    return PublishedBase(key, own[0], engine.version_files(own[0].version_hash))
