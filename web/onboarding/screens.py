"""The connection forms (R36), one case's page with national management's review and the
applicant's completion, and the list of cases the principal may see. Every page goes through
onboarding.process: national management sees every case, a care provider administrator only
their region's and their own (an unknown or another region's case is the same 404)."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

import engine
from access.models import CareProvider
from engine.db import db
from onboarding import dashboard, process
from onboarding.application import ApplicationInvalid
from onboarding.kinds import KINDS
from tasks import notify_actors
from web.onboarding import form_input, labels
from web.shell.csv_export import csv_response
from web.shell.links import public_base_url
from web.shell.screens import not_found, refuse, staff_with_role

bp = Blueprint("onboarding", __name__, template_folder="templates")
ROLES = ("nationell_forvaltning", "vardgivaradmin")


@bp.route("/anslutning")
def cases():
    principal = staff_with_role(*ROLES)
    chosen = _filters()
    shown = dashboard.rows(principal, **chosen)
    figures = dashboard.step_figures(shown)
    regions = db.session.scalars(select(CareProvider).where(CareProvider.kind == "region")
                                 .order_by(CareProvider.name)).all()
    if not process.is_national(principal):
        own = principal.scopes("vardgivaradmin", "care_provider")
        regions = [r for r in regions if r.id in own]
    longest = max([f.median_days or 0 for f in figures] + [1])
    return render_template("onboarding/cases.html", rows=shown, figures=figures, longest=longest, labels=labels,
                           chosen=chosen, kinds=KINDS, regions=regions, region_names={r.id: r.name for r in regions})


@bp.route("/anslutning.csv")
def cases_csv():
    principal = staff_with_role(*ROLES)
    shown = dashboard.rows(principal, **_filters())
    header = [_("Case"), _("Organisation"), _("Form"), _("State"), _("Step"), _("Who must act"), _("Waiting since"),
              _("Overdue"), _("Completions asked for")]
    body = [[r.application.id, r.application.organisation_name, str(labels.KIND_LABELS[r.application.kind]),
             str(labels.STATE_LABELS[r.application.state]), r.step_name or "",
             _who(r), r.since.isoformat() if r.since else "", _("yes") if r.overdue else _("no"), r.application.rounds]
            for r in shown]
    return csv_response(header, body, "anslutningar.csv")


def _who(row) -> str:
    if row.actor is None:
        return ""
    return _("National management") if row.actor == process.NATIONAL else row.applicant_name


def _filters() -> dict:
    """The dashboard's filters from the query string; an unknown value filters nothing."""
    kind = request.args.get("kind", "")
    state = request.args.get("state", "")
    return {"kind": kind if kind in KINDS else "", "region": request.args.get("region", "")[:32],
            "state": state if state in labels.STATE_LABELS else ""}


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
    queued: list[str] = []  # the first administrator's enrolment e-mail, sent after the commit
    try:
        process.review(principal, found.id, decision=request.form.get("decision", ""),
                       comment=request.form.get("review_comment", ""), request_id=g.request_id,
                       base_url=public_base_url(), queued=queued)
    except ApplicationInvalid as err:
        db.session.rollback()
        return _case_page(principal, _visible(principal, application_id), error=None, problems=err.problems), 409
    except process.OnboardingError as err:
        db.session.rollback()
        return _case_page(principal, _visible(principal, application_id), error=labels.error_text(err.code)), 400
    notify_actors.send_after_commit(queued)
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
        diagrams=_diagrams(found),
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


def _diagrams(found):
    """The case's diagrams for the progress viewer: the main process and its latest round."""
    progress = engine.instance_progress(found.instance_id) if found.instance_id else None
    if progress is None:
        return []
    main = [d for d in progress.diagrams if d.round == 0]
    rounds = [d for d in progress.diagrams if d.round > 0]
    return main + rounds[-1:]
