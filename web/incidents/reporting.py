"""Reporting an incident (R57–R62, R84): the form behind the shell's "Rapportera avvikelse" link,
pre-filled with the page, product, platform version and time the link carried; the reporter's own
cases with their stages; the printable report to Läkemedelsverket and the date it was sent.
incidents/reports.py holds the rules; these views parse, call it once and render."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from access import staff_rights
from access.models import CareProvider, Staff
from engine import clock
from engine.db import db
from incidents import agency_report, evidence, reports
from incidents.errors import IncidentError, IncidentForbidden
from incidents.models import CONSEQUENCES, PRODUCTS
from web.incidents.common import config, install_labels, message
from web.shell.carried import carried, observed_at
from web.shell.screens import not_found, parse_date, refuse, signed_in_staff
from web.shell.upload_limits import allow_upload

bp = Blueprint("incidents", __name__, template_folder="templates")
install_labels(bp)


@bp.record_once
def _upload_limit(state):
    settings = state.app.extensions["vardflode_settings"]
    allow_upload("incidents.submit", evidence.MAX_FILES * settings.incident_evidence_max_bytes)


def _reporter():
    principal = signed_in_staff()
    if not staff_rights.may_report_incident(principal):
        refuse(principal, "incident reports are for staff signed in as themselves")
    return principal


@bp.get("/avvikelse/ny")
def new():
    principal = _reporter()
    return render_template("incidents/new.html", form=_carried(request.args), **_choices())


@bp.post("/avvikelse/ny")
def submit():
    principal = _reporter()
    form = request.form
    uploads = [evidence.Upload(f.filename or "", f.read()) for f in request.files.getlist("evidence") if f.filename]
    try:
        draft = reports.Draft(product=form.get("product", ""), page_url=form.get("page_url", ""),
                              platform_version=form.get("platform_version", ""),
                              observed_at=observed_at(form.get("observed_at", "")),
                              what_happened=form.get("what_happened", ""), consequence=form.get("consequence", ""))
        incident = reports.report(principal, draft, uploads, config(), request_id=g.request_id)
    except IncidentError as err:
        db.session.rollback()
        return render_template("incidents/new.html", form=form, error=message(err), field=err.code,
                               **_choices()), 400
    return redirect(url_for("incidents.mine", reported=incident.id), 303)


@bp.get("/avvikelse/mina")
def mine():
    principal = signed_in_staff()
    cases = reports.own_cases(principal)
    return render_template("incidents/mine.html", cases=cases, reported=request.args.get("reported"))


@bp.get("/avvikelse/<incident_id>/lakemedelsverket")
def agency(incident_id: str):
    principal = signed_in_staff()
    incident = _case(principal, incident_id)
    if not incident.serious:
        not_found(principal, "no agency report for a case without harm")
    reporter = db.session.get(Staff, incident.reporter_id)
    provider = (db.session.get(CareProvider, incident.reporter_care_provider_id)
                if incident.reporter_care_provider_id else None)
    document = agency_report.for_incident(incident, reporter, provider.name if provider else None,
                                          config().guidance_url)
    waiting = "record_lmv_sent" in reports.open_steps(incident)
    may_record = waiting and staff_rights.may_record_agency_report(principal, incident.reporter_id,
                                                             incident.reporter_care_provider_id)
    return render_template("incidents/agency.html", incident=incident, document=document, may_record=may_record,
                           today=clock.local_today().isoformat(), error=None)


@bp.post("/avvikelse/<incident_id>/lakemedelsverket/skickad")
def agency_sent(incident_id: str):
    principal = signed_in_staff()
    incident = _case(principal, incident_id)
    try:
        sent_on = parse_date(request.form.get("sent_on"))
        if sent_on is None:
            raise IncidentError("lmv_sent_on", "no date")
        reports.record_agency_report_sent(principal, incident.id, sent_on, request_id=g.request_id)
    except IncidentForbidden:
        refuse(principal, "may not record the agency report")
    except IncidentError as err:
        db.session.rollback()
        return render_template("incidents/refused.html", incident=incident, message=message(err)), 400
    return redirect(url_for("incidents.agency", incident_id=incident.id), 303)


def _case(principal, incident_id: str):
    try:
        return reports.case_for_reporter(principal, incident_id)
    except (IncidentError, IncidentForbidden):
        not_found(principal, "incident case")


def _carried(args) -> dict:
    """What the shell link carried (the form checks it again on sending)."""
    return carried(args) | {"what_happened": "", "consequence": ""}


def _choices() -> dict:
    return {"products": PRODUCTS, "consequences": CONSEQUENCES}
