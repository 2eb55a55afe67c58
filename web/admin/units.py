"""The care provider administrator's page: the provider's units (create, activate, deactivate)
and who else administers the provider. Nothing here reaches another care provider."""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from access import directory, security_log
from access.models import Assignment, RoleGrant, Staff, Unit
from engine import clock
from engine.db import db
from web.admin.organisation import bp, directory_message, done_message, field
from web.shell.screens import administered_provider, parse_date, refuse, signed_in_staff

ROLE = "vardgivaradmin"


@bp.route("/admin/vardenheter", methods=["GET", "POST"])
def units():
    principal = signed_in_staff()
    provider = administered_provider(principal)
    if request.method == "POST":
        if field("provider_id") != provider.id:
            refuse(principal, "unit administration for another care provider")
        operation = {"create_unit": _create_unit, "activate": _set_active, "deactivate": _set_active,
                     "grant_admin": _grant_admin, "revoke_admin": _revoke_admin}.get(field("op"))
        if operation is None:
            abort(400)
        outcome, error = operation(principal, provider)
        if error is None:
            return redirect(url_for("admin.units", done=outcome))
        return _page(provider, error), 400
    return _page(provider, None, done_message())


def _create_unit(principal, provider):
    name, raw_from, raw_to = field("name"), field("valid_from"), field("valid_to")
    valid_from, valid_to = parse_date(raw_from), parse_date(raw_to)
    if not name:
        return None, _("Give the unit a name.")
    if (raw_from and valid_from is None) or (raw_to and valid_to is None):
        return None, _("Write dates as YYYY-MM-DD.")
    if valid_to and valid_to < (valid_from or clock.local_today()):
        return None, _("The end date must be on or after the start date.")
    try:
        unit = directory.create_unit(provider, field("hsa_id"), name, valid_from=valid_from,
                                     valid_to=valid_to)
    except directory.DirectoryError as err:
        return None, directory_message(err)
    security_log.event("unit_created", "ok", actor_type="staff", actor_id=principal.id, subject=unit.id,
                       request_id=g.request_id)
    return "created", None


def _set_active(principal, provider):
    unit = db.session.get(Unit, field("unit_id"))
    if unit is None or unit.care_provider_id != provider.id:
        refuse(principal, "activation of a unit of another care provider")
    active = field("op") == "activate"
    directory.set_unit_active(unit, active, actor_id=principal.id)
    return ("activated" if active else "deactivated"), None


def _grant_admin(principal, provider):
    staff = db.session.scalar(select(Staff).where(Staff.hsa_id == field("staff_hsa_id").upper()))
    if staff is None or not _works_for(staff.id, provider.id):
        return None, _("No one with that HSA-id has a valid assignment with this care provider.")
    try:
        directory.grant_role(staff, ROLE, "care_provider", provider.id, granted_by=principal.id)
    except directory.DirectoryError as err:
        return None, directory_message(err)
    return "granted", None


def _revoke_admin(principal, provider):
    grant = db.session.get(RoleGrant, field("grant_id"))
    if (grant is None or grant.revoked_at is not None or grant.role != ROLE
            or grant.scope_type != "care_provider" or grant.scope_id != provider.id):
        refuse(principal, "revoke of a grant outside the care provider")
    if grant.staff_id == principal.id:
        return None, _("You cannot remove your own administrator role. Ask another administrator.")
    directory.revoke_role(grant, revoked_by=principal.id)
    return "revoked", None


def _works_for(staff_id: str, provider_id: str) -> bool:
    """A provider role only counts through an assignment on one of the provider's units."""
    today = clock.local_today()
    rows = db.session.scalars(select(Assignment).join(Unit, Unit.id == Assignment.unit_id).where(
        Assignment.staff_id == staff_id, Unit.care_provider_id == provider_id))
    return any(a.is_valid(today) for a in rows)


def _page(provider, error, done=None):
    unit_rows = db.session.scalars(select(Unit).where(Unit.care_provider_id == provider.id)
                                   .order_by(Unit.name)).all()
    admins = db.session.execute(
        select(RoleGrant, Staff).join(Staff, Staff.id == RoleGrant.staff_id)
        .where(RoleGrant.role == ROLE, RoleGrant.scope_type == "care_provider",
               RoleGrant.scope_id == provider.id, RoleGrant.revoked_at.is_(None))
        .order_by(Staff.family_name, Staff.given_name)).all()
    return render_template("admin/units.html", provider=provider, units=unit_rows, admins=admins,
                           today=clock.local_today(), error=error, done=done, form=request.form)
