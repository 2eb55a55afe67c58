"""Raising a support case (R63–R69, R84): the form behind the shell's "Contact support" link,
pre-filled with the page, product, platform version and time the link carried (web/shell/carried.py,
as the incident form is); choosing "signing in" shows where login problems go (R68). The
requester's own cases with their stage, and each case with its answer. support/cases.py holds the
rules; these views parse, call it once and render."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from engine.db import db
from incidents import evidence
from support import cases, rules
from support.errors import SupportError, SupportForbidden
from support.models import CATEGORIES
from web.incidents.common import PRODUCTS
from web.shell.carried import carried, observed_at
from web.shell.screens import not_found, refuse, signed_in_staff
from web.shell.upload_limits import allow_upload
from web.support.common import config, install_labels, message

bp = Blueprint("support", __name__, template_folder="templates")
install_labels(bp)


@bp.record_once
def _upload_limit(state):
    settings = state.app.extensions["vardflode_settings"]
    allow_upload("support.submit", evidence.MAX_FILES * settings.incident_evidence_max_bytes)


def _requester():
    principal = signed_in_staff()
    if not rules.may_raise(principal):
        refuse(principal, "support cases are for staff signed in as themselves")
    return principal


@bp.get("/support/nytt")
def new():
    _requester()
    form = carried(request.args) | {"category": "", "question": "", "program_key": ""}
    return _form(form)


@bp.post("/support/nytt")
def submit():
    principal = _requester()
    form = request.form
    uploads = [evidence.Upload(f.filename or "", f.read()) for f in request.files.getlist("evidence") if f.filename]
    try:
        draft = cases.Draft(product=form.get("product", ""), page_url=form.get("page_url", ""),
                            platform_version=form.get("platform_version", ""),
                            observed_at=observed_at(form.get("observed_at", "")), category=form.get("category", ""),
                            question=form.get("question", ""), program_key=form.get("program_key", ""))
        case = cases.raise_case(principal, draft, uploads, config(), request_id=g.request_id)
    except SupportError as err:
        db.session.rollback()
        return _form(form, error=message(err), field=err.code), 400
    return redirect(url_for("support.case", case_id=case.id, raised=1), 303)


@bp.get("/support/mina")
def mine():
    principal = signed_in_staff()
    return render_template("support/mine.html", cases=cases.own_cases(principal))


@bp.get("/support/<case_id>")
def case(case_id: str):
    principal = signed_in_staff()
    try:
        found = cases.case_for(principal, case_id)
    except (SupportError, SupportForbidden):
        not_found(principal, "support case")
    if found.requester_id != principal.id:  # handlers work on their own page
        return redirect(url_for("support_handling.case", case_id=found.id), 303)
    return render_template("support/case.html", case=found, raised=bool(request.args.get("raised")),
                           login_support_url=config().login_support_url,
                           program_name=cases.programs().get(found.program_key or "", ("",))[0])


def _form(form, error: str | None = None, field: str | None = None):
    return render_template("support/new.html", form=form, error=error, field=field, products=PRODUCTS,
                           categories=CATEGORIES, programs=sorted(cases.programs().items(), key=lambda p: p[1][0]),
                           login_support_url=config().login_support_url)
