"""Starting a program for a resident (R27): find the resident by personnummer (or register them),
choose a program available on the unit and its responsible clinician (the one starting it, unless
they choose a colleague on the unit). Works the same for a protected identity (R28) and for a
child, who then gets a one-time code (R43)."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

import engine
from access import directory, pdl, personnummer
from access.models import Staff
from engine import clock
from engine.db import db
from tasks import notify_actors
from web.clinic import programs_available
from web.shell.refusals import directory_message, personnummer_message
from web.shell.screens import refuse, staff_with_role

bp = Blueprint("start", __name__, template_folder="templates")


NAME_LIMIT = 100  # the resident's name columns


@bp.route("/starta-program", methods=["GET", "POST"])
def start_program():
    principal = staff_with_role("behandlare")
    if principal.unit_id is None or principal.is_test:
        refuse(principal, "starting programs needs a care unit and real staff")
    choices = programs_available.for_unit(principal.unit_id)
    clinicians = _clinicians(principal)
    if request.method == "GET":
        return render_template("work/start.html", choices=choices, clinicians=clinicians, me=principal.id,
                               form={}, error=None, name_limit=NAME_LIMIT)
    form = request.form
    version_hash = form.get("program", "")
    if version_hash not in {c.version_hash for c in choices}:
        return _again(choices, clinicians, _("Choose one of the programs offered on your unit."))
    owner_id = form.get("responsible") or principal.id
    if owner_id not in {c.id for c in clinicians}:
        return _again(choices, clinicians, _("Choose one of the clinicians offered as responsible."))
    try:
        resident = _find_or_register(form)
    except directory.DirectoryError as err:
        db.session.rollback()
        return _again(choices, clinicians, directory_message(err))
    except _Refused as err:
        db.session.rollback()
        return _again(choices, clinicians, str(err))
    if resident.is_test:
        return _again(choices, clinicians, _("Test residents are only for design and test runs."))
    outcome = engine.start(version_hash, principal.engine_actor(), unit_id=principal.unit_id,
                           subject_id=resident.id, owner_id=owner_id)
    notify_actors.announce_new_tasks(outcome)
    pdl.record(principal.access_context("behandlare", g.request_id), action="create",
               resource_type="process_instance", resource_id=outcome.instance_id, resident_id=resident.id,
               access_basis="new_care_relation")
    return redirect(url_for("clinic.resident", resident_id=resident.id))


class _Refused(ValueError):
    """The personnummer or a new resident's name will not do; the message is already translated."""


def _find_or_register(form):
    try:  # say what is wrong with the number before asking for the name of someone not found
        personnummer.normalize(form.get("personnummer", ""), clock.local_today())
    except personnummer.InvalidPersonnummer as err:
        raise _Refused(personnummer_message(err)) from None
    resident = directory.resident_by_personnummer(form.get("personnummer", ""))
    if resident is not None:
        return resident
    if not form.get("given_name", "").strip() or not form.get("family_name", "").strip():
        raise _Refused(_("The resident is not registered yet: give their first and last name."))
    for name, label in (("given_name", _("First name")), ("family_name", _("Last name"))):
        if len(form[name].strip()) > NAME_LIMIT:
            raise _Refused(_("%(field)s may hold at most %(limit)s characters.", field=label,
                                   limit=NAME_LIMIT))
    return directory.create_resident(form.get("personnummer", ""), form["given_name"], form["family_name"],
                                     protected_identity=form.get("protected_identity") == "on")


def _clinicians(principal):
    """Who may be made responsible: the clinicians on the unit, the one starting first."""
    others = [s for s in directory.staff_holding("behandlare", principal.unit_id) if s.id != principal.id]
    me = db.session.get(Staff, principal.id)
    return [me, *others] if me is not None else others


def _again(choices, clinicians, error):
    return render_template("work/start.html", choices=choices, clinicians=clinicians, me=g.principal.id,
                           form=request.form, error=error, name_limit=NAME_LIMIT), 400
