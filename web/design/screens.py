"""The design tool's view of residents: designers and publishers work with test residents only
and never see a real one (SECURITY.md §3.2)."""
from __future__ import annotations

from flask import Blueprint, g, render_template

from access import policy, staff_rights
from web.shell.screens import install_template_helpers, refuse, signed_in_staff

bp = Blueprint("design", __name__, template_folder="templates")
install_template_helpers(bp)


@bp.get("/design/testinvanare")
def test_residents():
    principal = signed_in_staff()
    if not staff_rights.may_use_design_tool(principal):
        refuse(principal, "needs the design tool")
    found = policy.visible_residents(principal, g.request_id)
    # The policy lists real residents to someone who is also a clinician; this page never does.
    return render_template("design/test_residents.html", residents=[r for r in found if r.is_test])
