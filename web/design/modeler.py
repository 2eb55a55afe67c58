"""The modeler page: the head revision's main BPMN drawn in bpmn-js (static/design_modeler.js
and the vendored bundle, loaded on this page only), saved back as a new revision with the other
files of the revision it was based on unchanged. A save over a newer revision answers 409 and
opens the designer's own drawing again on top of the new base, so nothing drawn is lost.
The page's script posts the drawing to …/kontroll after each change: the package check
(design/package_check.py, as `vardflode validate`) on the base revision's files with the drawing in place,
answered as JSON findings and never stored. The properties group's choices and its check of one field
as it is typed are web/design/properties.py."""
from __future__ import annotations

import json

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _

from design import import_report, store
from design.package_check import problems_of
from design.errors import DesignError, DesignForbidden, StaleRevision
from engine.db import db
from web.design.common import designer, main_bpmn, program_or_refuse, reason, staff_names
from web.design.properties import page_data
from web.shell.screens import install_template_helpers, refuse

bp = Blueprint("design_modeler", __name__, template_folder="templates")
install_template_helpers(bp)

MAX_MESSAGE = 500  # design_revision.message


@bp.get("/design/program/<program_id>/modell")
def modeler(program_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    files = store.files(principal, found.id)
    name = main_bpmn(files)
    xml = files[name].decode("utf-8") if name else ""
    return _page(found, files, xml, found.head_revision_id)


@bp.post("/design/program/<program_id>/modell")
def save(program_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    xml, based_on = request.form.get("xml", ""), request.form.get("based_on") or None
    message = " ".join(request.form.get("message", "").split())[:MAX_MESSAGE] or None
    if not xml.strip():
        return _page(found, store.files(principal, found.id), xml, based_on,
                     error=_("The diagram was not sent. Nothing was saved.")), 400
    try:
        store.save(principal, found.id, _replaced(principal, found.id, based_on, xml), based_on, principal.id, message)
    except StaleRevision as stale:
        db.session.rollback()
        return _page(found, store.files(principal, found.id), xml, stale.head_id, message=message, stale=stale), 409
    except DesignForbidden:
        refuse(principal, "not a designer of this program")
    except DesignError as error:
        db.session.rollback()
        problem = _("Nothing was saved: %(file)s: %(reason)s", file=error.file or "", reason=reason(error))
        return _page(found, store.files(principal, found.id), xml, based_on, message=message, error=problem), 400
    return redirect(url_for("design_programs.program", program_id=found.id), 303)


@bp.post("/design/program/<program_id>/kontroll")
def check(program_id: str):
    """The findings of the package with the posted drawing in place of its main BPMN, as
    {"findings": [{"element", "file", "reason"}]} (reason in the validator's words). Reads only:
    nothing is saved. JSON ({"xml", "based_on"}) or form fields; the CSRF token as either allows."""
    principal = designer()
    found = program_or_refuse(principal, program_id)
    sent = request.get_json(silent=True) if request.is_json else None
    sent = sent if isinstance(sent, dict) else request.form
    xml, based_on = sent.get("xml"), sent.get("based_on") or None
    if not isinstance(xml, str) or not xml.strip() or not (based_on is None or isinstance(based_on, str)):
        return jsonify(error="the diagram was not sent"), 400
    files = _replaced(principal, found.id, based_on, xml)
    name = main_bpmn(files)
    findings = import_report.drawing_problems(name, files[name], _main_process(files), problems_of(files))
    return jsonify(findings=[{"element": element, "file": file, "reason": why} for file, element, why in findings])


def _main_process(files: dict[str, bytes]) -> str | None:
    try:
        meta = json.loads(files.get("program.json") or b"{}")
    except ValueError:
        return None
    main = meta.get("main_process") if isinstance(meta, dict) else None
    return main if isinstance(main, str) else None


def _replaced(principal, program_id: str, based_on: str | None, xml: str) -> dict[str, bytes]:
    """The base revision's files with its main BPMN (or a new one, for a package without any)
    replaced by the drawing. A base that is not the head fails in save() as StaleRevision."""
    try:
        files = store.files(principal, program_id, based_on)
    except DesignError:
        files = store.files(principal, program_id)  # an unknown base: save() refuses it as stale
    files[main_bpmn(files) or "process.bpmn"] = xml.encode("utf-8")
    return files


def _page(found, files: dict[str, bytes], xml: str, base: str | None, *, message: str | None = None, stale=None,
          error=None):
    """The modeler page; ``files`` (the head revision's) give the properties group its choices."""
    names = staff_names([stale.author]) if stale else {}
    language = str(get_locale() or "sv")[:2]
    data = {"xml": xml, "language": language,
            "check_url": url_for("design_modeler.check", program_id=found.id),
            "text_check_url": url_for("design_properties.check_text", program_id=found.id),
            "properties": page_data(files, main_bpmn(files), language)}
    return render_template("design/modeler.html", program=found, data=data, base=base or "",
                           message=message or "", stale=stale, stale_author=names.get(getattr(stale, "author", None)),
                           error=error)
