"""The connection forms (R36), one case's page with national management's review and the
applicant's completion, and the list of cases the principal may see. Every page goes through
onboarding.process: national management sees every case, a care provider administrator only
their region's and their own (an unknown or another region's case is the same 404)."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from sqlalchemy import select

import engine
from access.models import CareProvider
from engine.db import db
from onboarding import process
from onboarding.application import ApplicationInvalid
from onboarding.kinds import KINDS
from web.onboarding import form_input, labels
from web.shell.screens import not_found, refuse, staff_with_role

bp = Blueprint("onboarding", __name__, template_folder="templates")
ROLES = ("nationell_forvaltning", "vardgivaradmin")


@bp.route("/anslutning")
def cases():
    principal = staff_with_role(*ROLES)
    rows = [(found, _waiting(found)) for found in process.visible_to(principal)]
    return render_template("onboarding/cases.html", rows=rows, labels=labels)


@bp.route("/anslutning/ny", methods=["GET", "POST"])
def new():
    principal = staff_with_role(*ROLES)
    values = dict(request.form) if request.method == "POST" else {"kind": request.args.get("kind", "")}
    if request.method == "POST":
        form = form_input.from_post(request.form)
        try:
            found = process.submit(principal, form, request_id=g.request_id)
        except ApplicationInvalid as err:
            return _form_page("new", values, err.problems), 400
        except process.OnboardingForbidden:
            refuse(principal, "onboarding for another organisation")
        return redirect(url_for("onboarding.case", application_id=found.id, done="submitted"))
    return _form_page("new", values, [])


@bp.route("/anslutning/<application_id>")
def case(application_id):
    principal = staff_with_role(*ROLES)
    found = _visible(principal, application_id)
    return _case_page(principal, found, error=None, done=request.args.get("done"))


@bp.route("/anslutning/<application_id>/granska", methods=["POST"])
def review(application_id):
    principal = staff_with_role("nationell_forvaltning")
    found = _visible(principal, application_id)
    try:
        process.review(principal, found.id, decision=request.form.get("decision", ""),
                       comment=request.form.get("review_comment", ""), request_id=g.request_id)
    except ApplicationInvalid as err:
        db.session.rollback()
        return _case_page(principal, _visible(principal, application_id), error=None, problems=err.problems), 409
    except process.OnboardingError as err:
        db.session.rollback()
        return _case_page(principal, _visible(principal, application_id), error=labels.error_text(err.code)), 400
    return redirect(url_for("onboarding.case", application_id=found.id, done="reviewed"))


@bp.route("/anslutning/<application_id>/komplettera", methods=["GET", "POST"])
def complete(application_id):
    principal = staff_with_role(*ROLES)
    found = _visible(principal, application_id)
    if principal.id != found.applicant_id and not process.is_national(principal):
        refuse(principal, "completion of another applicant's onboarding")
    if request.method == "GET":
        return _form_page("complete", form_input.flat(found), [], found)
    try:
        process.complete(principal, found.id, form_input.from_post(request.form),
                         request.form.get("completion_note", ""), request_id=g.request_id)
    except ApplicationInvalid as err:
        return _form_page("complete", dict(request.form), err.problems, found), 400
    except process.OnboardingError as err:
        return _form_page("complete", dict(request.form), [], found, labels.error_text(err.code)), 400
    return redirect(url_for("onboarding.case", application_id=found.id, done="completed"))


def _visible(principal, application_id):
    for found in process.visible_to(principal):
        if found.id == application_id:
            return found
    not_found(principal, "onboarding case")


def _waiting(found):
    """The open step: (element id, since when), or None when the case has ended."""
    tasks = engine.ready_tasks(found.instance_id) if found.instance_id else []
    return (tasks[0].element_id, tasks[0].created_at) if tasks else None


def _case_page(principal, found, *, error=None, done=None, problems=()):
    waiting = _waiting(found)
    return render_template(
        "onboarding/case.html", found=found, waiting=waiting, labels=labels, error=error, done=done,
        problems=[(p.field, labels.problem_text(p.code)) for p in problems],
        may_review=process.is_national(principal) and waiting and waiting[0] in process.REVIEW_TASKS,
        final=waiting and waiting[0] == "final_review",
        may_complete=(waiting and waiting[0] == process.COMPLETION_TASK
                      and (principal.id == found.applicant_id or process.is_national(principal))))


def _form_page(mode, values, problems, found=None, error=None):
    regions = db.session.scalars(select(CareProvider).where(CareProvider.kind == "region", CareProvider.active)
                                 .order_by(CareProvider.name)).all()
    kind = KINDS.get(values.get("kind", "")) if values.get("kind") else None
    return render_template(
        "onboarding/form.html", mode=mode, values=values, kinds=KINDS, kind=kind, regions=regions, found=found,
        labels=labels, error=error, unit_rows=form_input.UNIT_ROWS, publisher_rows=form_input.PUBLISHER_ROWS,
        problems=[(p.field, labels.problem_text(p.code)) for p in problems],
        field_problems={p.field: labels.problem_text(p.code) for p in problems})
