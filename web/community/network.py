"""The designers' network (R71): designers and publishers ask, answer and search questions, on
their publishing units or nationally; the asker marks the answer that helped. A question that
reports an error links to national support (R69): the support case form when it is registered,
until then the incident report. community/network.py holds the rules; these views parse, call it
once and render."""
from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from access import staff_rights
from community import network
from community.errors import CommunityError, CommunityForbidden
from engine.db import db
from web.community.common import install_labels, message
from web.shell.screens import not_found, refuse, signed_in_staff

bp = Blueprint("community_network", __name__, template_folder="templates")
install_labels(bp)
# R69: where an error is reported. The support case form's endpoint once it exists; the incident
# report (R57) stands in until then. Both are endpoints, so the link is always url_for-built.
SUPPORT_ENDPOINTS = ("support.new", "incidents.new")


def support_url() -> str | None:
    for endpoint in SUPPORT_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return None


def _designer():
    principal = signed_in_staff()
    if not staff_rights.may_use_network(principal):
        refuse(principal, "the network is for designers and publishers")
    return principal


@bp.get("/natverk")
def index():
    principal = _designer()
    query, scope = request.args.get("q", ""), request.args.get("omfang", "")
    error = None
    try:
        found = network.search(principal, query, scope)
    except CommunityError as err:
        found, error = [], message(err)
    return render_template("community/network.html", found=found, query=query, scope=scope, error=error,
                           scopes=network.scopes(principal), form={}, national=network.NATIONAL), 400 if error else 200


@bp.post("/natverk")
def ask():
    principal = _designer()
    form = request.form
    try:
        question = network.ask(principal, form.get("scope", ""), form.get("title", ""), form.get("body", ""),
                               reports_error=form.get("reports_error") == "yes", request_id=g.request_id)
    except CommunityError as err:
        db.session.rollback()
        return render_template("community/network.html", found=network.search(principal), query="", scope="",
                               scopes=network.scopes(principal), form=form, ask_error=message(err), field=err.code,
                               national=network.NATIONAL), 400
    return redirect(url_for("community_network.question", question_id=question.id), 303)


@bp.get("/natverk/<question_id>")
def question(question_id: str):
    principal = _designer()
    return _page(principal, question_id)


@bp.post("/natverk/<question_id>/svar")
def answer(question_id: str):
    principal = _designer()
    try:
        network.answer(principal, question_id, request.form.get("body", ""), request_id=g.request_id)
    except CommunityError as err:
        db.session.rollback()
        if err.code == "not_found":
            not_found(principal, "network question")
        return _page(principal, question_id, error=message(err), draft=request.form.get("body", "")), 400
    return redirect(url_for("community_network.question", question_id=question_id), 303)


@bp.post("/natverk/<question_id>/svar/<answer_id>/godkand")
def accept(question_id: str, answer_id: str):
    principal = _designer()
    try:
        network.accept(principal, question_id, answer_id, request_id=g.request_id)
    except CommunityError:
        not_found(principal, "network answer")
    except CommunityForbidden:
        refuse(principal, "only the asker accepts an answer")
    return redirect(url_for("community_network.question", question_id=question_id), 303)


def _page(principal, question_id: str, error: str | None = None, draft: str = ""):
    try:
        thread = network.thread(principal, question_id)
    except CommunityError:
        not_found(principal, "network question")
    return render_template("community/question.html", thread=thread, error=error, draft=draft,
                           is_asker=thread.question.author_id == principal.id, support_url=support_url())
