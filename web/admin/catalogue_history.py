"""One program in the catalogue, for the care provider administrators who decide on it (R77, R83):
every published version with its publishing unit and release notes, and the program's audit trail
(submitted, sent back, approved, published, activated, moved), who did it in which role, when."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import catalogue
from access.models import PublisherUnit, Staff, Unit
from engine.db import db
from web.shell.screens import administered_provider, install_template_helpers, not_found, signed_in_staff

bp = Blueprint("catalogue_history", __name__, template_folder="templates")
install_template_helpers(bp)

STEPS = {"submitted": _l("Submitted for review"), "sent_back": _l("Sent back to the designer"),
         "rejected": _l("Rejected"), "approved": _l("Approved"), "published": _l("Published"),
         "activated": _l("Activated on a unit"), "deactivated": _l("Deactivated on a unit"),
         "moved": _l("Running programs moved")}


@bp.app_template_global()
def audit_step(kind: str) -> str:
    return str(STEPS.get(kind, kind))


@bp.get("/katalog/program/<program_key>")
def program(program_key: str):
    principal = signed_in_staff()
    administered_provider(principal)
    versions = catalogue.versions(program_key[:100])
    if not versions:
        not_found(principal, "no such program in the catalogue")
    trail = catalogue.audit.trail(program_key)
    return render_template("catalogue/program.html", versions=list(reversed(versions)),
                           approvals={v.version_hash: catalogue.approvals.approval_of(v.version_hash) for v in versions},
                           trail=trail, names=_names(trail), publishers=_publishers(versions))


def _names(trail) -> dict[str, str]:
    """Who and where, by id: staff, care units and publishing units named in the trail."""
    staff = {e.actor_id for e in trail if e.actor_id}
    units = {e.unit_id for e in trail if e.unit_id}
    found = {s.id: s.display_name for s in db.session.scalars(select(Staff).where(Staff.id.in_(staff)))} if staff else {}
    for model in (Unit, PublisherUnit):
        if units:
            found.update({u.id: u.name for u in db.session.scalars(select(model).where(model.id.in_(units)))})
    return found


def _publishers(versions) -> dict[str, str]:
    ids = {v.publisher_unit_id for v in versions}
    return {p.id: p.name for p in db.session.scalars(select(PublisherUnit).where(PublisherUnit.id.in_(ids)))}
