"""Which programs a clinician may start on a unit: those activated there (R25), each in the
version new starts use – the newest minor of the activated major version."""
from __future__ import annotations

from dataclasses import dataclass

import catalogue
from catalogue.models import CatalogueEntry
from engine.db import db


@dataclass(frozen=True)
class Choice:
    version_hash: str
    name: str


def for_unit(unit_id: str) -> list[Choice]:
    choices = []
    for (program_key, _unit), _activation in sorted(catalogue.activations_on([unit_id]).items()):
        version_hash = catalogue.version_for_new_start(program_key, unit_id)
        entry = db.session.get(CatalogueEntry, version_hash) if version_hash else None
        if entry is not None:
            choices.append(Choice(version_hash, f"{entry.name} ({entry.version_label})"))
    return sorted(choices, key=lambda c: c.name)
