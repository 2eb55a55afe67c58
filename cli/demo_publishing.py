"""The demo publishes its programs as anyone must (R22–R26): Dora Designer imports each shipped
package as a draft and submits it (its scenarios run), and Ulf Utgivare approves it through the
publishing_approval process; only then is it in the catalogue."""
from __future__ import annotations

from pathlib import Path

import engine
from access.principal import Principal, active_grants
from access.models import Staff
from catalogue.models import CatalogueEntry
from design import publishing, store, zips
from engine.db import db
from web.design.publishing import failing_scenarios

STRONG = "password_totp"  # the demo people sign in with password and TOTP


def publish(path: Path, version_hash: str, org) -> None:
    """Publish the package at ``path`` (stored as ``version_hash``) through the approval path."""
    if db.session.get(CatalogueEntry, version_hash) is not None:
        return
    designer, publisher = _principal(org.staff["designer"]), _principal(org.staff["utgivare"])
    unit = org.publishers["national"].id
    files = engine.read_paths([path]) | _scenarios(path)
    program = store.import_zip(designer, unit, zips.write(files))
    label = str((engine.version(version_hash).meta or {}).get("version") or "1.0")
    submission = publishing.submit(designer, program.id, release_notes=_notes(path), version_label=label,
                                   run_scenarios=failing_scenarios)
    publishing.decide(publisher, submission.id, decision="approve", change_kind=submission.proposed_kind,
                      comment="Granskad i demot.")


def _principal(staff: Staff) -> Principal:
    grants = active_grants(staff.id)
    return Principal(kind="staff", id=staff.id, display_name=staff.display_name, auth_method=STRONG,
                     session_hash="", grants=grants, roles={g.role for g in grants})


def _scenarios(path: Path) -> dict[str, bytes]:
    return {f"scenarios/{p.name}": p.read_bytes() for p in sorted((path / "scenarios").glob("*.json"))}


def _notes(path: Path) -> str:
    return f"Första versionen av {path.name}, levererad med plattformen."
