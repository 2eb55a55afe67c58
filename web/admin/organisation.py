"""Administration: who holds which role on a unit (behörighetsadministratör), the care provider's
units and administrators (vårdgivaradministratör), and care providers and publishing units
(nationell förvaltning, R11).

Each scope is checked against the grants in force for this request; a form naming a unit,
provider or grant outside that scope is refused with 403 and leaves a security event. The
changes themselves go through ``access.directory``, which writes their security events.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from access import directory
from access.models import Assignment, RoleGrant, Staff
from engine import clock
from engine.db import db
from web.shell.refusals import directory_message
from web.shell.screens import install_template_helpers, refuse, signed_in_staff

bp = Blueprint("admin", __name__, template_folder="templates")
install_template_helpers(bp)

DONE = {"granted": _l("The role was granted."), "revoked": _l("The role was revoked."),
        "created": _l("It was created."), "activated": _l("The unit was activated."),
        "deactivated": _l("The unit was deactivated."),
        "member_added": _l("The member was added, and an activation link was sent to their e-mail."),
        "lead_appointed": _l("The national management lead was appointed."),
        "lead_ended": _l("They are no longer the national management lead."),
        "enrolment_sent": _l("A new activation link was sent. Older links no longer work.")}


def done_message():
    key = request.args.get("done")
    return str(DONE[key]) if key in DONE else None


def field(name: str) -> str:
    """A form field, stripped but never cut short: a value longer than its column is refused with
    the field's name (engine.db.ValueTooLong), not saved as a different, truncated name or HSA-id."""
    return (request.form.get(name) or "").strip()


def signed_in_access_admin():
    """The signed-in staff member and their active unit, where they must be its access
    administrator (behorighetsadmin); anyone else is refused with 403."""
    principal = signed_in_staff()
    unit_id = principal.unit_id
    if unit_id is None or unit_id not in principal.scopes("behorighetsadmin", "unit"):
        refuse(principal, "needs behorighetsadmin on the active unit")
    return principal, unit_id


@bp.route("/admin/behorigheter", methods=["GET", "POST"])
def unit_roles():
    principal, unit_id = signed_in_access_admin()
    if request.method == "POST":
        if field("unit_id") != unit_id:
            refuse(principal, "unit role change for another unit")
        outcome, error = _change_unit_role(principal, unit_id)
        if error is None:
            return redirect(url_for("admin.unit_roles", done=outcome))
        return _unit_roles_page(principal, error), 400
    return _unit_roles_page(principal, None, done_message())


def _change_unit_role(principal, unit_id: str) -> tuple[str | None, str | None]:
    """Grant or revoke one unit role; returns (what was done, None) or (None, error)."""
    operation = field("op")
    if operation not in ("grant", "revoke"):
        abort(400)
    if operation == "revoke":
        grant = db.session.get(RoleGrant, field("grant_id"))
        if (grant is None or grant.revoked_at is not None or grant.scope_type != "unit"
                or grant.scope_id != unit_id or grant.role not in directory.UNIT_ROLES):
            refuse(principal, "revoke of a grant outside the unit")
        if grant.staff_id == principal.id and grant.role == "behorighetsadmin":
            return None, _("You cannot remove your own access administrator role. Ask another administrator.")
        directory.revoke_role(grant, revoked_by=principal.id)
        return "revoked", None
    role = field("role")
    if role not in directory.UNIT_ROLES:
        return None, _("Choose one of the unit roles.")
    staff = db.session.get(Staff, field("staff_id"))
    if staff is None or staff.id not in {a.staff_id for a in unit_assignments(unit_id)}:
        return None, _("Roles on the unit are only for staff with a valid assignment on it.")
    try:
        directory.grant_role(staff, role, "unit", unit_id, granted_by=principal.id)
    except directory.DirectoryError as err:
        return None, directory_message(err)
    return "granted", None


def unit_assignments(unit_id: str) -> list[Assignment]:
    today = clock.local_today()  # the same day access.principal judges validity by
    rows = db.session.scalars(select(Assignment).where(Assignment.unit_id == unit_id,
                                                       Assignment.revoked_at.is_(None)))
    return [a for a in rows if a.is_valid(today)]


def _unit_roles_page(principal, error, done=None):
    unit_id = principal.unit_id
    staff_ids = sorted({a.staff_id for a in unit_assignments(unit_id)})
    people = db.session.scalars(select(Staff).where(Staff.id.in_(staff_ids))
                                .order_by(Staff.family_name, Staff.given_name)).all()
    grants = db.session.scalars(select(RoleGrant).where(
        RoleGrant.scope_type == "unit", RoleGrant.scope_id == unit_id, RoleGrant.revoked_at.is_(None),
        RoleGrant.staff_id.in_(staff_ids)).order_by(RoleGrant.role)).all()
    by_staff = {s.id: [gr for gr in grants if gr.staff_id == s.id] for s in people}
    return render_template("admin/unit_roles.html", unit=principal.assignment.unit, people=people,
                           grants=by_staff, roles=sorted(directory.UNIT_ROLES), error=error, done=done)


from web.admin import national as admin_national  # noqa: E402,F401  - their routes join this blueprint
from web.admin import national_team as admin_national_team  # noqa: E402,F401
from web.admin import units as admin_units
from web.admin import assignments as admin_assignments  # noqa: E402,F401
