"""Moving a unit's running programs onto the version its new starts use (issue 12), for the care
provider administrator: the plan per program instance (can it move, why not, where it stands now
and after), a confirmation, then the result (moved, refused with reasons).

What the administrator sees of the residents: nothing that says who they are. A vardgivaradmin has
no care relationship with the unit's residents, so the rows are numbered programs with their start
date and status, and the steps by the program's own names – where in the program someone stands,
never whose program it is or what they answered. Nothing is read of a resident, so the plan writes no
PDL row; each *move* changes a resident's program and is logged ('update', 'process_instance') by
``catalogue.moves``, with one security event for the run.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from flask import Blueprint, abort, g, render_template, request
from flask_babel import lazy_gettext as _l

import engine
from access.models import Unit
from catalogue import CatalogueError, moves
from engine.db import db
from web.shell.screens import administered_provider, install_template_helpers, refuse, signed_in_staff

bp = Blueprint("moves", __name__, template_folder="templates")
install_template_helpers(bp)

PAGE = "/katalog/flytta"
REASONS = {
    "removed": _l("The step where the program stands, %(element)s, is not in the new version."),
    "changed_kind": _l("The step where the program stands, %(element)s, is another kind of step in the new version."),
    "process_removed": _l("The part of the program it is in, %(element)s, is not in the new version."),
    "completed_step_removed": _l("The completed step %(element)s, with its answers, is not in the new version."),
    "data_missing": _l("A later step, %(element)s, needs %(name)s, which this program does not have."),
    "not_open": _l("The program has ended."),
    "incident": _l("The program is stopped by an error. Resolve it before moving it."),
    "same_version": _l("The program is already on this version."),
    "other_program": _l("The new version is another program."),
    "conflict": _l("The program was changed by someone else during the move. Try again."),
}
STATUSES = {"running": _l("Running"), "paused": _l("Paused"), "incident": _l("Stopped by an error")}
CATALOGUE_REFUSALS = {
    "not_active": _l("The program is not active on this unit."),
    "unknown_version": _l("That version is not in the catalogue."),
    "already_newest": _l("New starts on this unit already use this version: there is nothing to move to."),
    "unknown_unit": _l("Choose a unit of your own care provider."),
}


@dataclass(frozen=True)
class Row:
    """One program instance as the administrator sees it."""

    number: int
    started: object
    status: str
    now: tuple
    after: tuple
    reasons: tuple


@bp.route(PAGE, methods=["GET", "POST"])
def move():
    principal = signed_in_staff()
    provider = administered_provider(principal)
    key, unit_id, from_version = _arg("program", 100), _arg("enhet", 64), _arg("fran", 64)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or not key or not from_version:
        abort(404)
    if unit.care_provider_id != provider.id:
        refuse(principal, "move on a unit of another care provider")
    try:
        plan = moves.plan_unit(key, unit.id, from_version)
    except CatalogueError as err:
        return _refused_page(unit, err), 400
    if request.method == "GET":
        return _page(unit, plan)
    if request.form.get("confirm") != "yes":
        return _page(unit, plan, error=_l("Confirm that you want to move the programs.")), 400
    ctx = replace(principal.access_context("vardgivaradmin", g.request_id), care_provider_id=provider.id)
    result = moves.move_unit(key, unit.id, from_version, ctx)
    return _page(unit, plan, result=result)


def _arg(name: str, limit: int) -> str:
    return (request.values.get(name) or "").strip()[:limit]


def _page(unit, plan, error=None, result=None):
    numbers = {p.instance_id: n for n, p in enumerate(plan.instances, start=1)}
    rows = [_row(numbers.get(p.instance_id, 0), p) for p in plan.instances]
    moved = [_row(numbers.get(p.instance_id, 0), p) for p in result.moved] if result else []
    refused = [_row(numbers.get(p.instance_id, 0), p) for p in result.refused] if result else []
    return render_template("catalogue/move.html", unit=unit, plan=plan, rows=rows, error=error, result=result,
                           moved=moved, refused=refused, page=PAGE)


def _row(number: int, plan: engine.MovePlan) -> Row:
    found = engine.instance(plan.instance_id)
    return Row(number=number, started=found.created_at if found else None,
               status=str(STATUSES.get(plan.status, plan.status)), now=plan.now, after=plan.after,
               reasons=tuple(reason_text(b) for b in plan.blockers))


def reason_text(blocker: engine.MoveBlocker) -> str:
    text = REASONS.get(blocker.reason)
    if text is None:
        return str(_l("The program cannot move."))
    element = blocker.name if blocker.reason != "data_missing" else blocker.element_id
    return str(text) % {"element": element or blocker.element_id or "–", "name": blocker.name or "–"}


def _refused_page(unit, err: CatalogueError):
    message = CATALOGUE_REFUSALS.get(err.code, _l("The move was refused."))
    return render_template("catalogue/move.html", unit=unit, plan=None, rows=[], error=message, result=None,
                           moved=[], refused=[], page=PAGE)
