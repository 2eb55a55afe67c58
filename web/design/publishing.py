"""Submitting a draft for review and the publisher's review (R22–R26): the designer sends the
head revision with release notes and a version label; a publisher of the same publisher unit
opens "Granskning", reviews what changed and how well it was tested, and approves (publishes),
sends it back with a comment, or rejects. design/publishing.py holds the rules; these views load,
call it once and render."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

import catalogue
from access import staff_rights
import engine
from design import coverage, publishing
from design.review import review_content
from design.errors import DesignError, DesignForbidden
from design.models import DesignProgram
from engine.db import db
from web.design import scenario_runs
from web.design.common import designer, program_or_refuse, reason, staff_names
from web.shell.screens import install_template_helpers, not_found, refuse, signed_in_staff

bp = Blueprint("design_publishing", __name__, template_folder="templates")
install_template_helpers(bp)

STATES = {"submitted": _l("In review"), "sent_back": _l("Sent back to the designer"),
          "resubmitted": _l("Submitted again as a newer version"), "rejected": _l("Rejected"),
          "published": _l("Approved and published")}
KINDS = {"minor": _l("Minor change"), "major": _l("Major change")}


@bp.app_template_global()
def submission_state(code: str) -> str:
    return str(STATES.get(code, code))


@bp.app_template_global()
def change_kind_name(code: str) -> str:
    return str(KINDS.get(code, code))


def failing_scenarios(files: dict[str, bytes], revision_id: str | None = None) -> list[str]:
    """The scenarios of ``files`` that do not pass, run as "Kör alla scenarier" runs them; the
    paths they took count in the revision's coverage, which the publisher's review shows."""
    report = scenario_runs.run_all(files)
    if report.findings:
        return [f"{element}: {why}" for _file, element, why in report.findings]
    if revision_id and report.results:
        coverage.record_scenarios(revision_id, [r.taken for r in report.results if r.taken is not None])
    return [_failure(r) for r in report.results if r.outcome is None or not r.outcome.passed]


def _failure(result) -> str:
    """A failing scenario by file name, with the run's end state in the engine's words, so the
    designer (and a log) can tell a wrong expectation from a run that never finished."""
    if result.outcome is None:
        return f"{result.name}: not run, the time for running scenarios was spent"
    unmet = "; ".join(str(problem) for problem in result.outcome.unmet[:2])
    why = unmet or (f"end state {result.outcome.end_state}" if result.outcome.end_state else "")
    return f"{result.name}: {why}" if why else result.name


@bp.post("/design/program/<program_id>/skicka-in")
def submit(program_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    try:
        publishing.submit(principal, found.id, release_notes=request.form.get("release_notes", ""),
                          version_label=request.form.get("version_label", ""), run_scenarios=failing_scenarios,
                          request_id=g.request_id)
    except DesignError as err:
        db.session.rollback()
        return render_template("design/submit_refused.html", program=found, message=reason(err),
                               form=request.form), 400
    return redirect(url_for("design_programs.program", program_id=found.id), 303)


def publisher():
    """A publisher strongly signed in (the design tool's sign-in rule covers publishers too)."""
    principal = signed_in_staff()
    if not staff_rights.may_use_design_tool(principal) or not principal.scopes("utgivare", "publisher_unit"):
        refuse(principal, "needs the publisher role")
    return principal


@bp.get("/granskning")
def reviews():
    principal = publisher()
    waiting = publishing.reviews_for(principal)
    return render_template("design/reviews.html", waiting=waiting,
                           programs={s.program_id: db.session.get(DesignProgram, s.program_id).name for s in waiting},
                           names=staff_names(s.submitted_by for s in waiting))


@bp.get("/granskning/<submission_id>")
def review(submission_id: str):
    principal = publisher()
    submission, found = _submission_or_refuse(principal, submission_id)
    return _review_page(principal, submission, found)


@bp.post("/granskning/<submission_id>")
def decide(submission_id: str):
    principal = publisher()
    submission, found = _submission_or_refuse(principal, submission_id)
    form = request.form
    try:
        publishing.decide(principal, submission.id, decision=form.get("decision", ""),
                          change_kind=form.get("change_kind", ""), comment=form.get("comment", ""),
                          request_id=g.request_id)
    except (DesignError, catalogue.CatalogueError) as err:
        # Refused before anything was written but the refusal's security event, which the
        # request's commit keeps (design/publishing.py checks every rule first).
        message = reason(err) if isinstance(err, DesignError) else str(err)
        submission, found = _submission_or_refuse(principal, submission_id)
        return _review_page(principal, submission, found, error=message, form=form), 400
    return redirect(url_for(".review", submission_id=submission.id), 303)


def _review_page(principal, submission, found, error=None, form=None):
    covered = coverage.of_submitted(submission.revision_id)
    base = engine.version_files(submission.base_version_hash) if submission.base_version_hash else None
    content = review_content(base, engine.version_files(submission.version_hash))
    return render_template("design/publisher_review.html", submission=submission, program=found, coverage=covered,
                           review=content,
                           names=staff_names([submission.submitted_by, submission.decided_by or ""]),
                           error=error, form=form or {})


def _submission_or_refuse(principal, submission_id: str):
    try:
        return publishing.for_review(principal, submission_id)
    except DesignForbidden:
        refuse(principal, "another publisher unit's submission")
    except DesignError:
        not_found(principal, "no such submission")
