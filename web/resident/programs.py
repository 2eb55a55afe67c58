"""The resident's own pages: their programs, and who has read about them (PDL 8 kap. 5 §).

The log extract names the care unit and its care provider and when, never the member of staff:
staff may have protected identities too, and the unit is what lets the resident judge whether
the access was justified."""
from __future__ import annotations

from flask import Blueprint, g, render_template, request
from sqlalchemy import func, select

import engine
from access import policy
from access.models import Unit
from access.records import PdlEntry
from engine.db import db
from web.resident import program as resident_program
from web.shell.screens import install_template_helpers, not_found, signed_in_resident

bp = Blueprint("resident", __name__, template_folder="templates")
install_template_helpers(bp)

PAGE_SIZE = 50
MAX_ID = 64


@bp.get("/mina-program")
def home():
    principal = signed_in_resident()
    # Through the policy, so the look at one's own programs is one PDL row like any other.
    policy.read_resident(principal, principal.id, resource_type="own_programs", request_id=g.request_id)
    # A child signed in with a one-time code sees the program the code is for, no other (R43).
    programs = [p for p in engine.programs_of(principal.id) if principal.may_see_instance(p.id)]
    return render_template("resident/home.html", programs=programs)


@bp.get("/mina-program/<instance_id>")
def program(instance_id: str):
    """One of the resident's programs in plain words: what is done, what is open, what is next."""
    principal = signed_in_resident()
    instance = _own_program(principal, instance_id, "process_instance", instance_id[:MAX_ID])
    return resident_program.render(principal, instance)


@bp.get("/mina-program/<instance_id>/steg/<task_id>")
def done_step(instance_id: str, task_id: str):
    """A step the resident has done, to read again: a module page, and what they answered."""
    principal = signed_in_resident()
    task_id = task_id[:MAX_ID]
    instance = _own_program(principal, instance_id, "human_task", task_id)
    return resident_program.render_done_step(principal, instance, task_id)


@bp.get("/mina-program/<instance_id>/steg/<task_id>/kvitto")
def receipt(instance_id: str, task_id: str):
    """Where a resident lands after sending a step: help first when the answers raised a risk,
    then that the answer arrived, who reads it and what comes next."""
    principal = signed_in_resident()
    task_id = task_id[:MAX_ID]
    instance = _own_program(principal, instance_id, "human_task", task_id)
    return resident_program.render_receipt(principal, instance, task_id)


def _own_program(principal, instance_id: str, resource_type: str, resource_id: str):
    """The resident's own (real) program, within a child's scope, after the PDL row of the look on
    the resident it belongs to; anything else is a 404 and a security event."""
    instance = policy.read_own_program(principal, instance_id[:MAX_ID], resource_type=resource_type,
                                       resource_id=resource_id, request_id=g.request_id)
    if instance is None:
        not_found(principal, f"program {instance_id[:MAX_ID]}")
    return instance


@bp.get("/mina-loggar")
def log_extract():
    # A child signs in with a one-time code for one program only; the extract is for the resident.
    principal = signed_in_resident(kinds=("resident",))
    policy.read_resident(principal, principal.id, resource_type="log_extract", request_id=g.request_id)
    # Allowed accesses by staff: a refused attempt saw nothing, and one's own visits are known.
    where = (PdlEntry.resident_id == principal.id, PdlEntry.actor_type == "staff", PdlEntry.outcome == "allowed")
    total = db.session.scalar(select(func.count()).select_from(PdlEntry).where(*where))
    page = _page_number(total)
    rows = db.session.execute(
        select(PdlEntry.ts, PdlEntry.action, PdlEntry.resource_type, Unit)
        .outerjoin(Unit, Unit.id == PdlEntry.unit_id).where(*where)
        .order_by(PdlEntry.seq.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("resident/log_extract.html", rows=rows, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)))


def _page_number(total: int) -> int:
    raw = request.args.get("page", "1")
    last = max(1, -(-total // PAGE_SIZE))
    return max(1, min(int(raw), last)) if raw.isdigit() else 1
