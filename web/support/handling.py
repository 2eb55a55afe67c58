"""The handlers' side of support cases (R63–R65, R69): the cases a person sees as local support of
their region, as the publisher unit that owns a program's content, or as national support, those
waiting for them first; one case with its question, screenshots and the form to answer or pass it
on. support/cases.py and support/rules.py hold the rules; these views parse, call once and render."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from engine.db import db
from support import cases, rules
from support.errors import SupportError, SupportForbidden
from web.shell.screens import not_found, refuse, signed_in_staff
from web.shell.upload_limits import evidence_download
from web.support.common import config, install_labels, message

bp = Blueprint("support_handling", __name__, template_folder="templates")
install_labels(bp)


def _handler():
    principal = signed_in_staff()
    if not rules.is_handler(principal):
        refuse(principal, "support handlers only")
    return principal


@bp.get("/supportarenden")
def queue():
    principal = _handler()
    found = cases.queue(principal)
    return render_template("support/queue.html", cases=found, mine={c.id for c in found if cases.may_act(principal, c)})


@bp.get("/supportarenden/<case_id>")
def case(case_id: str):
    principal = _handler()
    return _page(principal, _case(principal, case_id))


@bp.post("/supportarenden/<case_id>")
def handle(case_id: str):
    principal = _handler()
    found = _case(principal, case_id)
    try:
        cases.handle(principal, found.id, request.form.get("decision", ""), request.form.get("answer", ""),
                     request_id=g.request_id)
    except SupportForbidden:
        refuse(principal, "may not handle this support case at its step")
    except SupportError as err:
        db.session.rollback()
        return _page(principal, cases.case_for(principal, case_id), error=message(err)), 400
    return redirect(url_for("support_handling.case", case_id=found.id), 303)


@bp.get("/supportarenden/<case_id>/skarmbild/<evidence_id>")
def evidence_file(case_id: str, evidence_id: str):
    principal = _handler()
    try:
        data, media_type = cases.read_evidence(principal, case_id, evidence_id, config(), request_id=g.request_id)
    except (SupportError, SupportForbidden):
        not_found(principal, "support evidence")
    return evidence_download(data, media_type, f"skarmbild-{evidence_id[:8]}")


def _case(principal, case_id: str):
    try:
        found = cases.case_for(principal, case_id)
    except (SupportError, SupportForbidden):
        not_found(principal, "support case")
    if not rules.may_see_as_handler(principal, found):  # their own case, not one they handle
        not_found(principal, "support case")
    return found


def _page(principal, found, error: str | None = None):
    step = cases.waiting_step(found)
    return render_template("support/handle.html", case=found, step=step,
                           may_act=step is not None and rules.may_handle_step(principal, found, step),
                           may_pass=step in (rules.LOCAL, rules.PUBLISHER),
                           evidence=cases.evidence_list(principal, found.id), error=error,
                           program_name=cases.programs().get(found.program_key or "", ("",))[0])
