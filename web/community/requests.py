"""Training interest (R73) and implementation-support requests (R72): a care provider's contact
person registers one and follows it; national management sees how many wait per care provider,
each case, and handles it (booked, answered or closed, with a reply). community/requests.py holds
the rules; these views parse, call it once and render."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from access import staff_rights
from community import requests as community_requests
from community.errors import CommunityError, CommunityForbidden
from community.models import TERMS
from engine.db import db
from web.community.common import install_labels, message
from web.shell import navigation
from web.shell.screens import not_found, refuse, signed_in_staff, staff_with_role

bp = Blueprint("community_requests", __name__, template_folder="templates")
install_labels(bp)
navigation.BADGES["community_requests.cases"] = community_requests.waiting_count


def _requester():
    principal = signed_in_staff()
    if staff_rights.request_care_provider(principal) is None:
        refuse(principal, "requests are registered for a care provider")
    return principal


def _handler():
    return staff_with_role("nationell_forvaltning")


@bp.get("/utbildning-och-stod")
def new():
    principal = _requester()
    return _form(principal, {})


@bp.post("/utbildning-och-stod")
def register():
    principal = _requester()
    form = request.form
    try:
        draft = community_requests.Draft(kind=form.get("kind", ""), message=form.get("message", ""),
                                         participants=_int(form.get("participants")),
                                         preferred_term=form.get("preferred_term") or None)
        case = community_requests.register(principal, draft, request_id=g.request_id)
    except CommunityError as err:
        db.session.rollback()
        return _form(principal, form, error=message(err), field=err.code), 400
    except CommunityForbidden:
        refuse(principal, "requests are registered for a care provider")
    return redirect(url_for("community_requests.new", registrerad=case.id), 303)


def _form(principal, form, error: str | None = None, field: str | None = None):
    return render_template("community/request_new.html", form=form, error=error, field=field, terms=TERMS,
                           mine=community_requests.own(principal), registered=request.args.get("registrerad"))


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


@bp.get("/forfragningar")
def cases():
    principal = _handler()
    return render_template("community/requests.html", view=community_requests.overview(principal))


@bp.get("/forfragningar/<case_id>")
def case(case_id: str):
    principal = _handler()
    return _case_page(principal, case_id)


@bp.post("/forfragningar/<case_id>")
def handle(case_id: str):
    principal = _handler()
    try:
        community_requests.handle(principal, case_id, request.form.get("outcome", ""),
                                  request.form.get("outcome_note", ""), request_id=g.request_id)
    except CommunityError as err:
        db.session.rollback()
        if err.code == "not_found":
            not_found(principal, "community request")
        return _case_page(principal, case_id, error=message(err)), 400
    return redirect(url_for("community_requests.case", case_id=case_id), 303)


def _case_page(principal, case_id: str, error: str | None = None):
    try:
        found = community_requests.case_for_handler(principal, case_id)
    except (CommunityError, CommunityForbidden):
        not_found(principal, "community request")
    return render_template("community/request_case.html", case=found, error=error,
                           requester=community_requests.requester_name(found),
                           provider=community_requests.provider_name(found),
                           outcomes=community_requests.OUTCOMES[found.kind])
