"""Which programs a clinician may start on a unit. Until the catalogue decides (activation per
unit), every stored treatment or education program version is offered, newest name first."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from engine.db import db
from engine.models import ProgramVersion

STARTABLE_KINDS = ("treatment", "education")


@dataclass(frozen=True)
class Choice:
    version_hash: str
    name: str


def for_unit(unit_id: str) -> list[Choice]:
    versions = db.session.scalars(select(ProgramVersion).order_by(ProgramVersion.name)).all()
    return [Choice(v.content_hash, v.name) for v in versions if (v.meta or {}).get("kind") in STARTABLE_KINDS]
