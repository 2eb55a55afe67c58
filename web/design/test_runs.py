"""Test runs in the design tool ("Testa", R21, R22): start the head revision for a test resident,
follow the run (its own clock, the steps waiting, the trace as ``vardflode simulate`` prints it),
move its clock, and act as the test resident or the test clinician in the real screens.

While a designer acts as a test person, every other page serves that person (access/test_acting.py);
these views read the session as the designer themself, so the switch and the way back always work.
"""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from access import security_log, sessions, staff_rights, test_acting
from access import principal as principals
from design import test_runs
from design.errors import DesignError, DesignForbidden
from engine import EngineError
from engine.db import db
from web.design.common import program_or_refuse, reason
from web.shell.screens import install_template_helpers, label, not_found, refuse
from web.shell.session_hook import current_token

bp = Blueprint("design_test_runs", __name__, template_folder="templates")
install_template_helpers(bp)


@bp.app_template_global()
def test_run_status(code: str) -> str:
    return label("status", code)


@bp.app_template_global()
def test_run_day(view) -> int:
    """Which day of the test run its clock shows: day 0 is the day it started."""
    return max(0, (view.now - view.instance.created_at).days)

# Where acting as each test person begins: their own start page.
LANDING = {"resident": "resident_tasks.my_tasks", "staff": "work.tasklist"}


def _designer_session():
    """The session and the designer behind it, even while they act as a test person; else 403."""
    session = sessions.find(current_token())
    designer = principals.for_session(session, as_themself=True) if session is not None else None
    if not staff_rights.may_use_design_tool(designer):
        refuse(g.principal, "needs the design tool")
    return session, designer


def _run_or_refuse(designer, run_id: str):
    try:
        return test_runs.get(designer, run_id)
    except DesignForbidden:
        refuse(designer, "another publisher unit's test run")
    except DesignError:
        not_found(designer, "no such test run")


@bp.post("/design/program/<program_id>/testa")
def start(program_id: str):
    session, designer = _designer_session()
    found = program_or_refuse(designer, program_id)
    try:
        run = test_runs.start(designer, found.id, request.form.get("resident", ""))
    except DesignError as err:
        db.session.rollback()
        return render_template("design/test_run_refused.html", program=found, message=reason(err)), 400
    return redirect(url_for(".run", run_id=run.id), 303)


@bp.get("/design/testkorning/<run_id>")
def run(run_id: str):
    _session, designer = _designer_session()
    found = _run_or_refuse(designer, run_id)
    view = test_runs.view(designer, found.id)
    return render_template("design/test_run.html", view=view, program=program_or_refuse(designer, found.program_id),
                           message=request.args.get("meddelande"))


@bp.post("/design/testkorning/<run_id>/klocka")
def move_clock(run_id: str):
    _session, designer = _designer_session()
    found = _run_or_refuse(designer, run_id)
    note = None
    try:
        outcome = test_runs.move_clock(designer, found.id, request.form.get("steg", ""))
        note = "inget" if outcome is None else None
    except (DesignError, EngineError):
        db.session.rollback()
        note = "stilla"
    return redirect(url_for(".run", run_id=found.id, meddelande=note) if note else url_for(".run", run_id=found.id), 303)


@bp.post("/design/testkorning/<run_id>/agera")
def act(run_id: str):
    """Act as the run's test resident or test clinician, or be the designer again ("designer")."""
    session, designer = _designer_session()
    found = _run_or_refuse(designer, run_id)
    who = request.form.get("som", "")
    if who == "designer":
        test_acting.end(session)
        return redirect(url_for(".run", run_id=found.id), 303)
    people = {"resident": found.resident_id, "staff": found.clinician_id}
    if who not in people:
        not_found(designer, "no such test person")
    program = program_or_refuse(designer, found.program_id)
    test_acting.begin(session, who, people[who], program.publisher_unit_id, found.id)
    security_log.event("design_test_acting", "ok", actor_type="staff", actor_id=designer.id, subject=found.id,
                       detail=f"acts as the test run's {who}")
    return redirect(url_for(LANDING[who]), 303)
