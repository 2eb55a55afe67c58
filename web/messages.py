"""Secure messages between a resident and the unit that runs their program. Reading or writing a
conversation is access to the resident's data: one PDL row each; the resident is told of a new
message by a notification that says only that there is one."""
from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from access import pdl, policy
from access.models import Unit
from engine.db import db
from engine.models import ProcessInstance
from messaging import conversation
from notify import outbox
from tasks import notify_actors
from web.screens import refuse, signed_in_resident, staff_with_role

bp = Blueprint("messages", __name__)
ERRORS = {"empty": _l("Write a message first."), "too_long": _l("The message is too long (at most 5000 characters).")}


@bp.route("/invanare/<resident_id>/meddelanden", methods=["GET", "POST"])
def with_resident(resident_id):
    principal = staff_with_role("behandlare", "invanaradmin")
    action = "message_send" if request.method == "POST" else "read"
    resident = policy.read_resident(principal, resident_id, action=action, resource_type="message",
                                    request_id=g.request_id)
    if resident is None:
        db.session.commit()
        abort(404)
    error = None
    if request.method == "POST":
        try:
            message = conversation.write(resident.id, principal.unit_id, "staff", principal.id, request.form.get("body", ""))
        except conversation.MessageRefused as refused:
            error = ERRORS[str(refused)]
        else:
            notify_actors.send_after_commit(outbox.enqueue("resident", resident, "new_message",
                                                           f"new_message:{message.id}", "sv"))
            db.session.commit()
            return redirect(url_for("messages.with_resident", resident_id=resident.id))
    conversation.mark_read(resident.id, principal.unit_id, "staff")
    messages = conversation.thread(resident.id, principal.unit_id)
    db.session.commit()
    return render_template("messages/thread.html", messages=messages, resident=resident, error=error,
                           action=url_for("messages.with_resident", resident_id=resident.id), units=None,
                           me="staff"), 400 if error else 200


@bp.route("/mina-meddelanden", methods=["GET", "POST"])
def mine():
    principal = signed_in_resident()
    units = _units_of(principal.id)
    error = None
    if request.method == "POST":
        unit_id = request.form.get("unit", "")
        if unit_id not in {u.id for u in units}:
            refuse(principal, "message to a unit without a program")
        try:
            conversation.write(principal.id, unit_id, principal.kind, principal.id, request.form.get("body", ""))
        except conversation.MessageRefused as refused:
            error = ERRORS[str(refused)]
        else:
            _log(principal, "message_send")
            db.session.commit()
            return redirect(url_for("messages.mine"))
    _log(principal, "read")
    conversation.mark_read(principal.id, None, principal.kind)
    messages = conversation.thread(principal.id)
    db.session.commit()
    return render_template("messages/thread.html", messages=messages, resident=None, error=error,
                           action=url_for("messages.mine"), units=units, me=principal.kind,
                           unit_names={u.id: u.name for u in units}), 400 if error else 200


def _units_of(resident_id: str) -> list[Unit]:
    stmt = (select(Unit).join(ProcessInstance, ProcessInstance.unit_id == Unit.id)
            .where(ProcessInstance.subject_id == resident_id).distinct().order_by(Unit.name))
    return list(db.session.scalars(stmt))


def _log(principal, action):
    pdl.record(principal.access_context("invanare", g.request_id), action=action, resource_type="message",
               resource_id=None, resident_id=principal.id, access_basis="self")

