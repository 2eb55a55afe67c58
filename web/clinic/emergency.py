"""The answer to a read refused by a resident's spärr, and emergency access (nödåtkomst): a
clinician states why and opens the blocked data for ``blocks.EMERGENCY_HOURS`` hours."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from access import blocks, policy
from web.shell.screens import not_found, staff_with_role

bp = Blueprint("emergency", __name__, template_folder="templates")
MAX_ID = 64


@bp.app_errorhandler(policy.Blocked)
def blocked(error: policy.Blocked):
    """The policy wrote the denied row; say why, and offer emergency access to clinicians."""
    g.refusal_detail = "spärr"
    principal = g.principal
    may_open = principal is not None and principal.has("behandlare")
    return render_template("clinic/blocked.html", resident_id=error.resident_id, may_open=may_open), 403


@bp.route("/invanare/<resident_id>/nodatkomst", methods=["GET", "POST"])
def open_access(resident_id: str):
    principal = staff_with_role("behandlare")
    resident = policy.may_open_emergency(principal, resident_id[:MAX_ID])
    if resident is None:
        not_found(principal, f"emergency access to {resident_id[:MAX_ID]}")
    if request.method == "GET":
        return _form(resident.id, "", None)
    reason = request.form.get("reason", "")
    try:
        blocks.open_emergency(principal, resident.id, reason, g.request_id)
    except blocks.InvalidReason:
        error = (_("Write why you need emergency access.") if not reason.strip()
                 else _("Write at most %(count)s characters.", count=blocks.MAX_REASON))
        return _form(resident.id, reason[:blocks.MAX_REASON * 2], error, 400)
    return redirect(url_for("clinic.resident", resident_id=resident.id))


def _form(resident_id: str, reason: str, error: str | None, status: int = 200):
    return render_template("clinic/emergency.html", resident_id=resident_id, reason=reason, error=error,
                           hours=blocks.EMERGENCY_HOURS, max_reason=blocks.MAX_REASON), status
