"""Open programs (R16, R82): self-help a resident starts on their own, without a care decision or
a clinician. Offered are the open programs that are active on a care unit that is open today; a
resident has at most one unfinished instance of each."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

import catalogue
from access import pdl, policy
from engine.db import db
from web.shell.screens import install_template_helpers, signed_in_resident

bp = Blueprint("open_programs", __name__, template_folder="templates")
install_template_helpers(bp)

# A child signs in with a one-time code for one program only: starting others is for residents.
KINDS = ("resident",)
REFUSALS = {
    "already_running": (_l("You have already started this program. Continue it under My programs."), 409),
    "not_active": (_l("The program cannot be started at that care unit."), 400),
    "not_open": (_l("The program cannot be started at that care unit."), 400),
}


@bp.get("/oppna-program")
def index():
    principal = signed_in_resident(KINDS)
    return _page(principal)


@bp.post("/oppna-program/starta")
def start():
    principal = signed_in_resident(KINDS)
    program_key = (request.form.get("program_key") or "").strip()[:100]
    unit_id = (request.form.get("unit_id") or "").strip()[:64]
    try:
        instance_id = catalogue.start_open_program(program_key, unit_id, principal.id, is_test=principal.is_test)
    except catalogue.CatalogueError as err:
        db.session.rollback()
        message, status = REFUSALS.get(err.code, REFUSALS["not_active"])
        return _page(principal, error=str(message)), status
    # The resident created their own program: a PDL row like any other creation of health data.
    pdl.record(principal.access_context("invanare", g.request_id), action="create",
               resource_type="process_instance", resource_id=instance_id, resident_id=principal.id,
               access_basis="self")
    return redirect(url_for("open_programs.index", done="started"))


def _page(principal, error=None):
    # The page shows which programs the resident already has going: a look at their own data.
    policy.read_resident(principal, principal.id, resource_type="own_programs", request_id=g.request_id)
    offers = catalogue.open_offers()
    running = {o.program_key for o in offers if catalogue.running_instance(o.program_key, principal.id)}
    done = _l("The program has started. You find it under My programs.") if request.args.get("done") == "started" \
        else None
    return render_template("catalogue/open_programs.html", offers=offers, running=running, error=error,
                           done=str(done) if done else None)
