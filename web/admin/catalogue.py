"""The content catalogue for the care provider administrator (R25, R46, R83): every published
program version with its publisher unit, and for the administrator's own care provider which
units use each program, with forms to activate, deactivate and move to a newer major version.

Only units of the care provider the vardgivaradmin grant is in force for can be named; any other
unit in a form is refused with 403 and a security event. The changes go through ``catalogue``,
which writes their security events.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

import catalogue
import engine
from access.models import Unit
from catalogue.models import CatalogueEntry
from engine.db import db
from web.shell.screens import administered_provider, install_template_helpers, refuse, signed_in_staff

bp = Blueprint("catalogue", __name__, template_folder="templates")
install_template_helpers(bp)

KIND_LABELS = {"treatment": _l("Treatment"), "education": _l("Patient education"), "self_rating": _l("Self-rating"),
               "support": _l("Support"), "course": _l("Course"), "health_plan": _l("Health plan"),
               "platform": _l("Platform process")}
LANGUAGE_LABELS = {"sv": _l("Swedish"), "en": _l("English")}
DONE = {"activate": _l("The program was activated for the chosen units."),
        "deactivate": _l("The program was deactivated for the chosen units. Programs already started go on."),
        "upgrade": _l("The chosen units now start the program on the new version. Programs already started "
                      "stay on their version.")}
# catalogue explains refusals in English for logs; the administrator reads them in their language.
REFUSALS = {
    "unknown_version": _l("That version is not in the catalogue."),
    "platform_process": _l("A platform process is not activated on care units."),
    "no_journal_declaration": _l("The program does not declare which items go to the medical record, so it "
                                 "cannot be activated yet."),
    "not_active": _l("The program is not active on one of the chosen units."),
    "not_newer_major": _l("Choose a newer major version. Minor versions are used automatically."),
    "unknown_unit": _l("Choose at least one unit."),
}


@dataclass
class UnitRow:
    unit: Unit
    activation: object | None = None
    start_entry: object | None = None  # the version new starts use there
    # (older version, how many of its programs run on the unit): offered a move to start_entry
    moves: list = dc_field(default_factory=list)


@dataclass
class ProgramView:
    key: str
    newest: object
    activatable: bool
    rows: list = dc_field(default_factory=list)
    upgrades: list = dc_field(default_factory=list)  # (target entry, rows that may move to it)


@bp.route("/katalog", methods=["GET", "POST"])
def index():
    principal = signed_in_staff()
    provider = administered_provider(principal)
    if request.method == "POST":
        error = _change(principal, provider)
        if error is None:
            return redirect(url_for("catalogue.index", done=request.form.get("op")))
        db.session.rollback()
        return _page(provider, error), 400
    done = DONE.get(request.args.get("done", ""))
    return _page(provider, None, str(done) if done else None)


def _change(principal, provider) -> str | None:
    """Apply one activation change; returns None when done, else the message to show."""
    if _form("provider_id", 64) != provider.id:
        refuse(principal, "catalogue change for another care provider")
    operation = {"activate": _activate, "deactivate": _deactivate, "upgrade": _upgrade}.get(_form("op", 16))
    if operation is None:
        abort(400)
    unit_ids = [u.strip()[:64] for u in request.form.getlist("unit_id")][:500]
    for unit_id in unit_ids:
        unit = db.session.get(Unit, unit_id)
        if unit is None or unit.care_provider_id != provider.id:
            refuse(principal, "activation on a unit of another care provider")
    if not unit_ids:
        return _("Choose at least one unit.")
    try:
        operation(_form("program_key", 100), unit_ids, principal.id)
    except catalogue.CatalogueError as err:
        return str(REFUSALS.get(err.code, _l("The change was refused.")))
    return None


def _activate(program_key, unit_ids, by):
    catalogue.activate(program_key, unit_ids, by, request_id=g.request_id)


def _deactivate(program_key, unit_ids, by):
    catalogue.deactivate(program_key, unit_ids, by, request_id=g.request_id)


def _upgrade(program_key, unit_ids, by):
    catalogue.upgrade(program_key, unit_ids, _form("version_hash", 64), by, request_id=g.request_id)


def _form(name: str, limit: int) -> str:
    return (request.form.get(name) or "").strip()[:limit]


def _page(provider, error, done=None):
    units = db.session.scalars(select(Unit).where(Unit.care_provider_id == provider.id).order_by(Unit.name)).all()
    entries = catalogue.entries()
    return render_template("catalogue/index.html", provider=provider, entries=entries,
                           programs=_programs(entries, units), error=error, done=done, kind_label=kind_label,
                           languages_label=languages_label)


def _programs(entries, units) -> list[ProgramView]:
    """One view per program: the units and their versions, and the newer major versions to move to."""
    activations = catalogue.activations_on([u.id for u in units])
    views = []
    for key in dict.fromkeys(entry.program_key for entry, _publisher in entries):
        newest = catalogue.newest(key)
        view = ProgramView(key, newest, newest.kind != "platform" and newest.journal_items is not None)
        for unit in units:
            activation = activations.get((key, unit.id))
            start = catalogue.version_for_new_start(key, unit.id) if activation else None
            row = UnitRow(unit, activation, db.session.get(CatalogueEntry, start) if start else None)
            row.moves = _running_elsewhere(key, row) if row.start_entry else []
            view.rows.append(row)
        view.upgrades = _upgrades(key, view.rows)
        views.append(view)
    return views


def _running_elsewhere(key, row) -> list:
    """The program's other versions that still run on the unit, with how many programs each."""
    found = []
    for entry in catalogue.versions(key):
        if entry.version_hash != row.start_entry.version_hash:
            count = len(engine.instances_to_move(entry.version_hash, row.unit.id))
            if count:
                found.append((entry, count))
    return found


def _upgrades(key, rows) -> list:
    """Each newer major version (its newest minor) with the active units still on an older major."""
    majors = sorted({entry.major for entry in catalogue.versions(key)})
    found = []
    for major in majors:
        movable = [r for r in rows if r.start_entry is not None and r.start_entry.major < major]
        if movable:
            found.append((catalogue.newest(key, major), movable))
    return found


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def languages_label(codes) -> str:
    return ", ".join(str(LANGUAGE_LABELS.get(code, code)) for code in codes or [])
