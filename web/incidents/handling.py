"""National management's side of incidents (R57–R62): every case with its stage and deadlines (overdue first, counts per month
and product, a CSV export), one case with its steps, its state on the process diagram and its evidence, which only the handlers open.
incidents/reports.py holds the rules; these views parse, call it once and render."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

import engine
from engine.db import db
from incidents import dashboard, reports
from incidents.errors import IncidentError, IncidentForbidden
from incidents.models import Incident
from web.incidents.common import config, install_labels, message
from web.shell.csv_export import csv_response
from web.shell.screens import not_found, staff_with_role
from web.shell.upload_limits import evidence_download

bp = Blueprint("incident_handling", __name__, template_folder="templates")
install_labels(bp)
MANUFACTURER_STEPS = ("triage", "investigate", "corrective_action", "close_case")


def _handler():
    return staff_with_role("nationell_forvaltning")


@bp.get("/avvikelser")
def cases():
    principal = _handler()
    return render_template("incidents/cases.html", view=dashboard.overview(principal))


@bp.get("/avvikelser.csv")
def cases_csv():
    principal = _handler()
    view = dashboard.overview(principal)
    return csv_response(dashboard.CSV_HEADER, dashboard.csv_rows(view), "avvikelser.csv")


@bp.get("/avvikelser/<incident_id>")
def case(incident_id: str):
    principal = _handler()
    incident = _case(principal, incident_id)
    return _page(principal, incident)


@bp.post("/avvikelser/<incident_id>/steg/<step>")
def advance(incident_id: str, step: str):
    principal = _handler()
    incident = _case(principal, incident_id)
    if step not in MANUFACTURER_STEPS:
        not_found(principal, "no such step")
    try:
        reports.advance(principal, incident.id, step, request.form.to_dict(), request_id=g.request_id)
    except IncidentError as err:
        db.session.rollback()
        return _page(principal, reports.case_for_handler(principal, incident_id), error=message(err)), 400
    return redirect(url_for("incident_handling.case", incident_id=incident.id), 303)


@bp.get("/avvikelser/<incident_id>/bevis/<evidence_id>")
def evidence_file(incident_id: str, evidence_id: str):
    principal = _handler()
    try:
        data, media_type = reports.read_evidence(principal, incident_id, evidence_id, config(), request_id=g.request_id)
    except (IncidentError, IncidentForbidden):
        not_found(principal, "incident evidence")
    return evidence_download(data, media_type, f"bevis-{evidence_id[:8]}")


def _case(principal, incident_id: str) -> Incident:
    try:
        return reports.case_for_handler(principal, incident_id)
    except (IncidentError, IncidentForbidden):
        not_found(principal, "incident case")


def _page(principal, incident: Incident, error: str | None = None):
    waiting = reports.open_steps(incident)
    step = next((s for s in MANUFACTURER_STEPS if s in waiting), None)
    progress = engine.instance_progress(incident.instance_id) if incident.instance_id else None
    return render_template("incidents/case.html", incident=incident, step=step, waiting=waiting, progress=progress,
                           evidence=reports.evidence_list(principal, incident.id), error=error)
