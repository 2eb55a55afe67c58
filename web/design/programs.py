"""The design tool's program screens: the publisher unit's programs with the ways to make a new
one (blank, a zip, a BPMN file), and one program's history with restore and export. The draft
store (design/store.py) checks who may do what; these views only load, call it once and render."""
from __future__ import annotations

import re

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from access.models import PublisherUnit
from design import coverage, guard, publishing, store, test_runs, zips
from design.errors import DesignError, DesignForbidden
from design.models import DesignRevision
from engine.db import db
from web.design import scenario_runs
from web.design.common import design_state, designer, program_or_refuse, reason, staff_names
from web.shell import upload_limits
from web.shell.screens import install_template_helpers, refuse

bp = Blueprint("design_programs", __name__, template_folder="templates")
install_template_helpers(bp)
bp.add_app_template_global(design_state)


@bp.get("/design")
def index():
    return _index(designer())


@bp.post("/design/nytt/tomt")
def create_blank():
    principal = designer()
    return _create(principal, _("The new program"),
                   lambda unit: store.create_blank(principal, unit, request.form.get("name", "")))


@bp.post("/design/nytt/zip")
def import_zip():
    principal = designer()
    upload = _upload("package")
    return _create(principal, upload.filename, lambda unit: store.import_zip(principal, unit, upload.read()))


upload_limits.allow_upload("design_programs.import_zip", zips.MAX_ZIP_BYTES)  # above MAX_CONTENT_LENGTH


@bp.post("/design/nytt/version")
def create_from_version():
    """A copy of a catalogue version the designer's own publisher unit published."""
    principal = designer()
    return _create(principal, _("The copy"), lambda unit: store.create_from_version(
        principal, unit, request.form.get("version", "")))


@bp.post("/design/nytt/bpmn")
def import_bpmn():
    principal = designer()
    upload = _upload("bpmn")
    return _create(principal, upload.filename,
                   lambda unit: store.import_bpmn(principal, unit, upload.filename, upload.read()),
                   land_on="design_imports.report")


@bp.get("/design/program/<program_id>")
def program(program_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    revisions = store.history(principal, found.id)
    return render_template("design/program.html", program=found, revisions=revisions,
                           imported=store.import_report_of(principal, found.id) is not None,
                           names=staff_names(r.author for r in revisions),
                           coverage=coverage.of_revision(principal, found.id),
                           test_residents=test_runs.test_residents(), runs=test_runs.runs(principal, found.id),
                           submissions=publishing.submissions(principal, found.id), form={})


@bp.post("/design/program/<program_id>/aterstall")
def restore(program_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    try:
        store.restore(principal, found.id, request.form.get("revision", ""), principal.id,
                      request_id=g.request_id)
    except DesignError:
        abort(404)  # a revision of another program, or none: nothing to restore
    return redirect(url_for(".program", program_id=found.id), 303)


@bp.post("/design/program/<program_id>/scenarier")
def run_scenarios(program_id: str):
    """Every scenario of the head revision run on a throwaway database (web/design/scenario_runs.py);
    the paths they took replace the revision's previous scenario coverage."""
    principal = designer()
    found = program_or_refuse(principal, program_id)
    revision_id = found.head_revision_id
    report = scenario_runs.run_all(store.files(principal, found.id, revision_id))
    if report.results:
        coverage.record_scenarios(revision_id, [r.taken for r in report.results if r.taken is not None])
    return render_template("design/scenarios.html", program=found, report=report, revision_id=revision_id,
                           limit=scenario_runs.MAX_SCENARIOS,
                           coverage=coverage.of_revision(principal, found.id, revision_id))


@bp.get("/design/program/<program_id>/export/<revision_id>.zip")
def export(program_id: str, revision_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    try:
        data = store.export_zip(principal, found.id, revision_id)
    except DesignError:
        abort(404)
    name = f"{_slug(found.name)}-{revision_id[:12]}.zip"
    return data, 200, {"Content-Type": "application/zip",
                       "Content-Disposition": f'attachment; filename="{name}"'}


def _index(principal, error: str | None = None, status: int = 200):
    found = store.programs(principal)
    heads = {p.id: db.session.get(DesignRevision, p.head_revision_id) for p in found if p.head_revision_id}
    units = db.session.query(PublisherUnit).filter(PublisherUnit.id.in_(guard.units_of(principal))) \
        .order_by(PublisherUnit.name).all()
    names = staff_names(head.author for head in heads.values() if head)
    return render_template("design/index.html", programs=found, heads=heads, units=units, names=names,
                           versions=store.copyable_versions(principal), error=error, form=request.form), status


def _create(principal, what: str, make, land_on: str = ".program"):
    """Run ``make(unit)``; a refused package answers 400 on the list page naming the file, and
    nothing of it is kept."""
    try:
        created = make(_unit(principal))
    except DesignForbidden as error:
        if error.code == "another_units_version":  # the store's security event commits with the 403
            return _index(principal, _refusal(what, error), 403)
        refuse(principal, "not a designer of that publisher unit")
    except DesignError as error:
        db.session.rollback()  # the store adds nothing before its checks; this makes sure of it
        return _index(principal, _refusal(what, error), 400)
    return redirect(url_for(land_on, program_id=created.id), 303)


def _unit(principal) -> str:
    """The posted publisher unit; the form has no choice when the designer has only one."""
    units = guard.units_of(principal)
    return request.form.get("unit") or (next(iter(units)) if len(units) == 1 else "")


def _upload(field: str):
    upload = request.files.get(field)
    if upload is None or not upload.filename:
        abort(400)
    return upload


def _refusal(what: str, error: DesignError) -> str:
    if error.file:
        return _("%(upload)s was refused: %(file)s: %(reason)s", upload=what, file=error.file, reason=reason(error))
    return _("%(upload)s was refused: %(reason)s", upload=what, reason=reason(error))


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:60] or "program"
