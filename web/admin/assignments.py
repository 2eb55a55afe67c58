"""The access administrator's staff page (/admin/medarbetaruppdrag): the unit's assignments
(medarbetaruppdrag), a new member of staff with their first assignment on the unit, an assignment
for someone already on the platform, and ending an assignment.

The same scope as /admin/behorigheter: behorighetsadmin on the unit of the active assignment, and
a form naming another unit or another unit's assignment is refused with 403. The rules and the
security events live in ``access.directory``; this view reads the form, says in the page which
field is wrong (keeping everything typed) and renders.
"""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import and_, or_, select

from access import directory, enrolment
from access.models import Assignment, RoleGrant, Staff
from engine import clock
from engine.db import db
from notify.outbox import usable_email
from tasks import notify_actors
from web.admin.organisation import bp, field, signed_in_access_admin
from web.shell.links import public_base_url
from web.shell.refusals import directory_message
from web.shell.screens import parse_date, refuse

FIELD_LABELS = {"hsa_id": _l("HSA-id"), "given_name": _l("Given name"), "family_name": _l("Family name"),
                "email": _l("E-mail address (optional)"), "purpose": _l("Purpose"),
                "valid_from": _l("Valid from (empty: today)"), "valid_to": _l("Valid to (empty: until further notice)")}
STAFF_FIELDS = ("hsa_id", "given_name", "family_name", "email")
MAX_LENGTHS = {name: Staff.__table__.c[name].type.length for name in STAFF_FIELDS}
ASSIGNMENT_FIELDS = ("purpose", "valid_from", "valid_to")
STATE_LABELS = {"valid": _l("Valid"), "not_yet_valid": _l("Not yet valid"), "ended": _l("Ended")}
DONE = {"staff_created": _l("The staff member was added with an assignment on the unit. Grant them roles under "
                            "Permissions."),
        "assignment_created": _l("The assignment was created."), "ended": _l("The assignment was ended."),
        "enrolment_sent": _l("An activation link was sent by e-mail. It is valid for 72 hours; an older link "
                             "no longer works.")}


class FormErrors(Exception):
    """The posted form has problems: ``errors`` maps a field name ("" for the form) to a message."""

    def __init__(self, errors: dict, offer: Staff | None = None):
        super().__init__("form errors")
        self.errors, self.offer = errors, offer


@bp.route("/admin/medarbetaruppdrag", methods=["GET", "POST"])
def assignments():
    principal, unit_id = signed_in_access_admin()
    if request.method == "GET":
        return _page(principal, done=DONE.get(request.args.get("done")))
    if field("unit_id") != unit_id:
        refuse(principal, "assignment change for another unit")
    operation = {"create_staff": _create_staff, "create_assignment": _create_assignment,
                 "end": _end_assignment, "enrol": _send_enrolment}.get(field("op"))
    if operation is None:
        abort(400)
    try:
        outcome = operation(principal)
    except FormErrors as problems:
        return _page(principal, posted=field("op"), errors=problems.errors, offer=problems.offer), 400
    return redirect(url_for("admin.assignments", done=outcome))


def _create_staff(principal) -> str:
    """A new member of staff and their first assignment here, or nothing: every field is checked
    before the person is written, so a refused form leaves no one without an assignment."""
    errors = _person_errors()
    purpose, valid_from, valid_to = _assignment_terms(errors)
    if errors:
        raise FormErrors(errors)
    try:
        staff = directory.register_staff(field("hsa_id"), field("given_name"), field("family_name"),
                                         field("email") or None, actor_id=principal.id)
        directory.create_assignment(staff, principal.assignment.unit, purpose, valid_from, valid_to,
                                    actor_id=principal.id)
    except directory.DirectoryError as err:
        offer = db.session.get(Staff, err.params["staff_id"]) if err.code == "staff_exists" else None
        raise FormErrors({_field_of(err): _staff_exists_message(offer) if offer else directory_message(err)},
                         offer) from None
    return "staff_created"


def _create_assignment(principal) -> str:
    errors = _length_errors(("hsa_id",))
    purpose, valid_from, valid_to = _assignment_terms(errors)
    staff = None
    if "hsa_id" not in errors:
        try:
            staff = directory.staff_by_hsa_id(directory.checked_hsa_id(field("hsa_id")))
        except directory.DirectoryError as err:
            errors["hsa_id"] = directory_message(err)
        else:
            if staff is None:
                errors["hsa_id"] = _("No staff member has this HSA-id. Add them as a new staff member instead.")
    if errors:
        raise FormErrors(errors)
    try:
        directory.create_assignment(staff, principal.assignment.unit, purpose, valid_from, valid_to,
                                    actor_id=principal.id)
    except directory.DirectoryError as err:
        raise FormErrors({_field_of(err): directory_message(err)}) from None
    return "assignment_created"


def _end_assignment(principal) -> str:
    assignment = db.session.get(Assignment, field("assignment_id"))
    if assignment is None or assignment.unit_id != principal.unit_id:
        refuse(principal, "end of an assignment outside the unit")
    try:
        directory.end_assignment(assignment, actor_id=principal.id)
    except directory.DirectoryError as err:
        raise FormErrors({"": directory_message(err)}) from None
    return "ended"


def _send_enrolment(principal) -> str:
    """Issue (or issue again) the activation link of someone with an assignment on this unit who
    has no password and TOTP yet; a new link makes the older one useless."""
    staff = db.session.get(Staff, field("staff_id"))
    on_unit = staff is not None and db.session.scalar(select(Assignment.id).where(
        Assignment.staff_id == staff.id, Assignment.unit_id == principal.unit_id).limit(1))
    if not on_unit:
        refuse(principal, "activation link for someone outside the unit")
    if enrolment.has_credentials(staff):
        raise FormErrors({"": _("%(name)s already has a password and an authenticator app.", name=staff.display_name)})
    try:
        # Swedish, the platform's default: the recipient's own language is not known yet.
        _token, queued = enrolment.issue(staff, principal.id, g.request_id, base_url=public_base_url())
    except enrolment.EnrolmentError:
        raise FormErrors({"": _("%(name)s has no e-mail address to send the link to.", name=staff.display_name)}) from None
    notify_actors.send_after_commit(queued)
    return "enrolment_sent"


def _assignment_terms(errors: dict):
    """Purpose and dates as typed; a date that is not one is the field's error, an empty start is today."""
    raw_from, raw_to = field("valid_from"), field("valid_to")
    valid_from, valid_to = parse_date(raw_from), parse_date(raw_to)
    for name, raw, parsed in (("valid_from", raw_from, valid_from), ("valid_to", raw_to, valid_to)):
        if raw and parsed is None:
            errors[name] = _("Write dates as YYYY-MM-DD.")
    if not valid_from and "valid_from" not in errors:
        valid_from = clock.local_today()
    if valid_from and not errors.keys() & {"valid_from", "valid_to"}:
        try:  # checked here too, so a new person's form shows every problem at once
            directory.check_assignment_terms(field("purpose"), valid_from, valid_to)
        except directory.DirectoryError as err:
            errors[_field_of(err)] = directory_message(err)
    return field("purpose"), valid_from, valid_to


def _person_errors() -> dict:
    """Every problem with the new person's fields at once (the directory checks them again)."""
    errors = {name: message for name, message in (("given_name", _("Write the given name.")),
                                                    ("family_name", _("Write the family name.")))
              if not field(name)}
    try:
        directory.checked_hsa_id(field("hsa_id"))
    except directory.DirectoryError as err:
        errors["hsa_id"] = directory_message(err)
    email = field("email")
    if email and usable_email(email) is None:  # the same check as the outbox that will send to it
        errors["email"] = _("Write the e-mail address like name@example.se.")
    return {**errors, **_length_errors(STAFF_FIELDS)}


def _length_errors(names) -> dict:
    """A value longer than its column, said with the limit before the database refuses it."""
    errors = {}
    for name in names:
        limit = MAX_LENGTHS[name]
        if len(field(name)) > limit:
            errors[name] = _("%(field)s can be at most %(limit)d characters.", field=FIELD_LABELS[name],
                             limit=limit)
    return errors


def _field_of(err: directory.DirectoryError) -> str:
    """Which field a refusal is about: the one it names, else the HSA-id (every other refusal of a
    new person or assignment is about the person)."""
    if err.code == "own_admin_assignment":
        return ""
    return err.params.get("field", "hsa_id")


def _staff_exists_message(staff: Staff) -> str:
    return _("%(name)s already has this HSA-id, so no new staff member is added. You can give them an "
             "assignment on the unit instead.", name=staff.display_name)


def _page(principal, *, posted: str | None = None, errors: dict | None = None, offer: Staff | None = None,
          done=None):
    unit = principal.assignment.unit
    today = clock.local_today()
    rows = db.session.execute(select(Assignment, Staff).join(Staff, Staff.id == Assignment.staff_id)
                              .where(Assignment.unit_id == unit.id)
                              .order_by(Staff.family_name, Staff.given_name, Assignment.valid_from)).all()
    roles = _roles_by_staff(unit)
    listed = [(assignment, person, directory.assignment_state(assignment, today), roles.get(person.id, []))
              for assignment, person in rows]
    return render_template("admin/assignments.html", unit=unit, assignments=listed, states=STATE_LABELS,
                           purposes=directory.ASSIGNMENT_PURPOSES, labels=FIELD_LABELS, maxlengths=MAX_LENGTHS, today=today,
                           values=_form_values(posted, offer, today), posted=posted, errors=errors or {},
                           offer=offer, done=str(done) if done else None, signed_in_id=principal.id)


def _roles_by_staff(unit) -> dict[str, list[RoleGrant]]:
    """The unit's roles and its care provider's, by person: a provider role counts through an
    assignment on one of its units, so ending that assignment ends the role's use too."""
    in_scope = or_(and_(RoleGrant.scope_type == "unit", RoleGrant.scope_id == unit.id),
                   and_(RoleGrant.scope_type == "care_provider", RoleGrant.scope_id == unit.care_provider_id))
    grants = db.session.scalars(select(RoleGrant).where(in_scope, RoleGrant.revoked_at.is_(None))
                                .order_by(RoleGrant.scope_type.desc(), RoleGrant.role))
    by_staff: dict[str, list[RoleGrant]] = {}
    for grant in grants:
        by_staff.setdefault(grant.staff_id, []).append(grant)
    return by_staff


def _form_values(posted: str | None, offer: Staff | None, today) -> dict:
    """What each form shows: what was typed into the form that was posted, the defaults elsewhere.
    When the new person exists already, the assignment form carries their HSA-id and the terms typed."""
    defaults = {"purpose": "vard_och_behandling", "valid_from": today.isoformat(), "valid_to": ""}
    typed = {name: field(name) for name in (*STAFF_FIELDS, *ASSIGNMENT_FIELDS)}
    staff_form = {**defaults, "hsa_id": "", "given_name": "", "family_name": "", "email": ""}
    assignment_form = {**defaults, "hsa_id": ""}
    if posted == "create_staff":
        staff_form = typed
        if offer is not None:
            assignment_form = {name: typed[name] for name in ASSIGNMENT_FIELDS} | {"hsa_id": offer.hsa_id}
    elif posted == "create_assignment":
        assignment_form = {name: typed[name] for name in ("hsa_id", *ASSIGNMENT_FIELDS)}
    return {"create_staff": staff_form, "create_assignment": assignment_form}
