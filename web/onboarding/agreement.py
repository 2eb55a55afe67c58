"""Agreement ended (R33): the region's care provider administrator reports that a private
provider's agreement has ended, national management confirms or rejects, and the case page lists
the running programs to hand over or end before the provider's units are deactivated. Every page
goes through onboarding.agreement_ended; another region's case is the same 404 as an unknown one."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.db import db
from onboarding import agreement_ended as ending
from onboarding.process import OnboardingError, OnboardingForbidden
from web.shell.screens import not_found, refuse, staff_with_role

bp = Blueprint("agreement_ended", __name__, template_folder="templates")
ROLES = ("nationell_forvaltning", "vardgivaradmin")


def _error_text(code: str) -> str:
    texts = {"reason_required": _("Give the reason (at most 2000 characters)."),
             "ended_on_required": _("Give the date the agreement ended."),
             "already_reported": _("The end of this provider's agreement is already reported."),
             "comment_required": _("Say why the report is rejected."),
             "comment_too_long": _("The comment is too long."),
             "not_waiting": _("The report is not waiting for confirmation."),
             "not_confirmed": _("National management has not confirmed the report."),
             "programs_running": _("Hand over or end the running programs first."),
             "provider_required": _("Choose the private care provider.")}
    return texts.get(code, _("The request could not be carried out."))


def _state_labels() -> dict:
    return {"reported": _("Reported, waiting for national management"),
            "confirmed": _("Confirmed: hand over or end the running programs"),
            "rejected": _("Rejected"), "deactivated": _("Units deactivated")}


@bp.route("/anslutning/avtal-upphort", methods=["GET", "POST"])
def cases():
    principal = staff_with_role(*ROLES)
    error, values = None, {}
    if request.method == "POST":
        values = dict(request.form)
        try:
            ended_on = date.fromisoformat(request.form.get("ended_on", ""))
        except ValueError:
            ended_on = None
        try:
            if not request.form.get("provider_id"):
                raise OnboardingError("provider_required", "")
            if ended_on is None:
                raise OnboardingError("ended_on_required", "")
            case = ending.report(principal, request.form.get("provider_id", ""), request.form.get("reason", ""),
                                 ended_on, request_id=g.request_id)
        except OnboardingForbidden:
            refuse(principal, "agreement ended for another region's provider")
        except OnboardingError as err:
            db.session.rollback()
            error = _error_text(err.code)
        else:
            return redirect(url_for("agreement_ended.case", case_id=case.id))
    page = render_template("agreement/cases.html", cases=ending.visible_to(principal), error=error, values=values,
                           providers=ending.reportable_providers(principal), states=_state_labels())
    return (page, 400) if error else page


@bp.route("/anslutning/avtal-upphort/<case_id>")
def case(case_id):
    principal = staff_with_role(*ROLES)
    return _case_page(principal, _visible(principal, case_id))


@bp.route("/anslutning/avtal-upphort/<case_id>/beslut", methods=["POST"])
def decide(case_id):
    principal = staff_with_role("nationell_forvaltning")
    found = _visible(principal, case_id)
    decision, comment = request.form.get("decision", ""), request.form.get("comment", "")
    try:
        if decision == "confirm":
            ending.confirm(principal, found.id, comment, request_id=g.request_id)
        elif decision == "reject":
            ending.reject(principal, found.id, comment, request_id=g.request_id)
        else:
            raise OnboardingError("decision_unknown", "")
    except OnboardingError as err:
        db.session.rollback()
        return _case_page(principal, _visible(principal, case_id), _error_text(err.code)), 400
    return redirect(url_for("agreement_ended.case", case_id=found.id))


@bp.route("/anslutning/avtal-upphort/<case_id>/inaktivera", methods=["POST"])
def deactivate(case_id):
    principal = staff_with_role("vardgivaradmin")
    found = _visible(principal, case_id)
    try:
        ending.deactivate(principal, found.id, request.form.get("note", ""), request_id=g.request_id)
    except OnboardingForbidden:
        refuse(principal, "deactivation of another region's provider")
    except OnboardingError as err:
        db.session.rollback()
        return _case_page(principal, _visible(principal, case_id), _error_text(err.code)), 409
    return redirect(url_for("agreement_ended.case", case_id=found.id))


def _visible(principal, case_id):
    for found in ending.visible_to(principal):
        if found.id == case_id:
            return found
    not_found(principal, "agreement ended case")


def _case_page(principal, found, error=None):
    from access.models import CareProvider
    provider = db.session.get(CareProvider, found.provider_id)
    return render_template("agreement/case.html", found=found, provider=provider, error=error, states=_state_labels(),
                           running=ending.running_programs(found.provider_id),
                           may_decide=ending.is_national(principal) and found.state == "reported",
                           may_deactivate=ending.may_act(principal, found) and found.state == "confirmed")
