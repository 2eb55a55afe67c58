"""The resident's messages with the units that run their programs. Reading or writing is access to
their own data: one PDL row each, with the access basis "self"."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from sqlalchemy import select

import engine
from access import pdl
from access.models import Unit
from engine.db import db
from messaging import conversation
from tasks import notify_actors
from web.programs.thread import ERRORS
from web.shell.screens import refuse, signed_in_resident

bp = Blueprint("resident_messages", __name__, template_folder="templates")


@bp.route("/mina-meddelanden", methods=["GET", "POST"])
def mine():
    principal = signed_in_resident()
    units = _units_of(principal)
    # A child talks with the unit of the program their code is for, and reads only that thread.
    only_unit = (units[0].id if units else "") if principal.scoped else None
    error = None
    if request.method == "POST":
        unit_id = request.form.get("unit", "")
        if unit_id not in {u.id for u in units}:
            refuse(principal, "message to a unit without a program")
        try:
            _message, outcomes = conversation.write_from_resident(principal.id, unit_id, principal.kind,
                                                                 request.form.get("body", ""))
        except conversation.MessageRefused as refused:
            error = ERRORS[str(refused)]
        else:
            _log(principal, "message_send")
            for outcome in outcomes:  # a program that waited for the message may open a step now
                notify_actors.announce_new_tasks(outcome)
            return redirect(url_for("resident_messages.mine"))
    _log(principal, "read")
    conversation.mark_read(principal.id, only_unit, principal.kind)
    messages = conversation.thread(principal.id, only_unit)
    return render_template("messages/thread.html", messages=messages, resident=None, error=error,
                           action=url_for("resident_messages.mine"), units=units, me=principal.kind,
                           unit_names={u.id: u.name for u in units}), 400 if error else 200


def _units_of(principal) -> list[Unit]:
    """The units the resident has a program on, by name: the ones they may write to. For a child,
    the unit of the program their one-time code is for (none if that program is gone)."""
    if principal.scoped:
        instance = engine.instance(principal.scope_instance_id) if principal.scope_instance_id else None
        unit_ids = {instance.unit_id} if instance is not None and instance.subject_id == principal.id else set()
    else:
        unit_ids = engine.units_of(principal.id)
    stmt = select(Unit).where(Unit.id.in_(sorted(u for u in unit_ids if u))).order_by(Unit.name)
    return list(db.session.scalars(stmt))


def _log(principal, action):
    pdl.record(principal.access_context("invanare", g.request_id), action=action, resource_type="message",
               resource_id=None, resident_id=principal.id, access_basis="self")

