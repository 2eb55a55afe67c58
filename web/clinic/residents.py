"""The clinic's screens: the residents of the unit the clinician works under now, one resident's
page with their programs on that unit, and one-time codes for children (R43).

Every resident shown was let through by ``access.policy``, which writes the PDL row for it; the
app commits that row with every answer below 500, "not found" too, so a denied look is never lost.
"""
from __future__ import annotations

from flask import Blueprint, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

import engine
from access import childcodes, personnummer, policy
from access.models import ChildCode
from engine.db import db
from web.clinic import program_page
from web.shell.screens import (age_on, install_template_helpers, not_found, signed_in_staff,
                               staff_with_role)

bp = Blueprint("clinic", __name__, template_folder="templates")
install_template_helpers(bp)

ADULT_AGE = 18
MAX_SEARCH = 100
CODE_MINUTES = int(childcodes.LIFETIME.total_seconds() // 60)
MAX_ID = 64  # longer than any stored id; cut so the PDL row can hold what was asked for


@bp.route("/invanare", methods=["GET", "POST"])
def residents():
    # A search is a POST: a personnummer in the address would land in every access log on the way.
    principal = staff_with_role(*policy.CARE_ROLES)
    query = (request.form.get("q") or "").strip()[:MAX_SEARCH] if request.method == "POST" else ""
    found = policy.visible_residents(principal, g.request_id, search=query or None)
    return render_template("clinic/residents.html", residents=found, query=query)


@bp.get("/invanare/<resident_id>")
def resident(resident_id: str):
    principal = signed_in_staff()
    found = policy.read_resident(principal, resident_id[:MAX_ID], request_id=g.request_id)
    if found is None:
        not_found(principal, f"resident {resident_id[:MAX_ID]}")  # unknown and forbidden look the same
    return _resident_page(principal, found)


@bp.get("/invanare/<resident_id>/program/<instance_id>")
def program(resident_id: str, instance_id: str):
    """One program of one resident: where they are, answers, scores, messages and history."""
    principal = signed_in_staff()
    # The PDL row goes on the resident the program belongs to, whatever the address names.
    found = policy.read_program(principal, resident_id[:MAX_ID], instance_id[:MAX_ID], request_id=g.request_id)
    if found is None:
        not_found(principal, f"program {instance_id[:MAX_ID]} of {resident_id[:MAX_ID]}")
    resident, instance = found
    # bpmn-js draws under the strict CSP as it is: it styles through the CSSOM, which style-src
    # does not govern (checked in Chromium with the vendored 18.31.1 viewer, no violations).
    return program_page.render(principal, resident, instance)


@bp.post("/invanare/<resident_id>/engangskod")
def issue_child_code(resident_id: str):
    principal = staff_with_role("behandlare")
    found = policy.read_resident(principal, resident_id[:MAX_ID], action="create", resource_type="child_code",
                                 request_id=g.request_id)
    if found is None:
        not_found(principal, f"child code for {resident_id[:MAX_ID]}")
    programs = programs_on_unit(found.id, principal.unit_id)
    instance_id = request.form.get("instance", "")
    error = _code_refusal(found, instance_id, programs)
    if error:
        return _resident_page(principal, found, programs=programs, error=error, status=400)
    code = childcodes.issue(found.id, principal.id, instance_id)
    db.session.flush()
    expires_at = _latest_code_expiry(found.id)
    # The code is shown here once and never stored in clear, so it cannot be shown again.
    return render_template("clinic/child_code.html", resident=found, code=code, expires_at=expires_at)


def programs_on_unit(resident_id: str, unit_id: str | None) -> list[engine.ProgramItem]:
    """The resident's program instances on ``unit_id`` only: other units' care is not ours to see."""
    if unit_id is None:
        return []
    return engine.programs_of(resident_id, unit_id)


def is_child(resident) -> bool:
    return age_on(resident.birth_date, engine.clock.local_today()) < ADULT_AGE


def _code_refusal(resident, instance_id: str, programs) -> str | None:
    if not is_child(resident):
        return _("One-time codes are only for residents under 18.")
    if instance_id not in {p.id for p in programs}:
        return _("Choose the program the code is for.")
    return None


def _latest_code_expiry(resident_id: str):
    return db.session.scalar(select(ChildCode.expires_at).where(ChildCode.resident_id == resident_id)
                             .order_by(ChildCode.issued_at.desc()).limit(1))


def _resident_page(principal, resident, *, programs=None, error=None, status=200):
    programs = programs_on_unit(resident.id, principal.unit_id) if programs is None else programs
    may_issue = principal.has("behandlare") and is_child(resident) and bool(programs)
    page = render_template("clinic/resident.html", resident=resident, programs=programs,
                           number=personnummer.formatted(resident.personnummer),
                           age=age_on(resident.birth_date, engine.clock.local_today()),
                           may_issue_code=may_issue, code_minutes=CODE_MINUTES, error=error)
    return page, status
