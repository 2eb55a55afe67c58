"""The clinician's list of ended programs that wait for "transferred to the record" (R46) and the
confirmation itself. The list shows only the programs ``access.program_policy`` lets this
clinician act on ("confirm_journal": a clinician on the program's unit, the resident's spärr
respected); each one shown is a PDL "list" row, the confirmation an "update" row. After the
confirmation the care provider's purge rule decides when the working material goes."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

import engine
from access import program_policy
from purging import journal
from web.shell.screens import install_template_helpers, not_found, refuse, staff_with_role

bp = Blueprint("journal", __name__, template_folder="templates")
install_template_helpers(bp)

MAX_ID = 64


@bp.get("/journalforing")
def awaiting():
    principal = staff_with_role("behandlare")
    shown = []
    for item in journal.awaiting(principal.unit_id, principal.id):
        instance = engine.instance(item.instance_id)
        decision = program_policy.program_action_decision(principal, instance, "confirm_journal")
        if decision.allowed:
            program_policy.record_program_action(principal, instance, decision, action="list",
                                                 request_id=g.request_id)
            shown.append(item)
    return render_template("clinic/journal.html", items=shown, done=request.args.get("klar") == "1")


@bp.post("/program/<instance_id>/journalford")
def confirm(instance_id: str):
    principal = staff_with_role("behandlare")
    instance = engine.instance(instance_id[:MAX_ID])
    if instance is None or instance.subject_id is None:
        not_found(principal, f"journal confirmation of {instance_id[:MAX_ID]}")
    decision = program_policy.program_action_decision(principal, instance, "confirm_journal")
    program_policy.record_program_action(principal, instance, decision, action="update", request_id=g.request_id)
    if not decision.allowed:
        refuse(principal, f"journal confirmation: {decision.reason}")
    try:
        journal.confirm(instance.id, principal.id)
    except journal.NotConfirmable:
        # Confirmed by a colleague a moment ago, or purged: the list says where it stands now.
        return render_template("clinic/journal.html", items=[], done=False,
                               error=_("That program is already confirmed or no longer waits.")), 409
    return redirect(url_for("journal.awaiting", klar="1"))
