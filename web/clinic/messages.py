"""Secure messages, the unit's side: a clinician reads and writes to one resident. Reading or writing a
conversation is access to the resident's data: one PDL row each; the resident is told of a new
message by a notification that says only that there is one."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from access import policy
from messaging import conversation
from notify import outbox
from tasks import notify_actors
from web.programs.thread import ERRORS
from web.shell.screens import not_found, staff_with_role

bp = Blueprint("messages", __name__, template_folder="templates")


@bp.route("/invanare/<resident_id>/meddelanden", methods=["GET", "POST"])
def with_resident(resident_id):
    principal = staff_with_role("behandlare", "invanaradmin")
    action = "message_send" if request.method == "POST" else "read"
    resident = policy.read_resident(principal, resident_id, action=action, resource_type="message",
                                    request_id=g.request_id)
    if resident is None:
        not_found(principal, f"messages of {resident_id[:64]}")
    error = None
    if request.method == "POST":
        try:
            message = conversation.write(resident.id, principal.unit_id, "staff", principal.id, request.form.get("body", ""))
        except conversation.MessageRefused as refused:
            error = ERRORS[str(refused)]
        else:
            notify_actors.send_after_commit(outbox.enqueue("resident", resident, "new_message",
                                                           f"new_message:{message.id}", "sv"))
            return redirect(url_for("messages.with_resident", resident_id=resident.id))
    conversation.mark_read(resident.id, principal.unit_id, "staff")
    messages = conversation.thread(resident.id, principal.unit_id)
    return render_template("messages/thread.html", messages=messages, resident=resident, error=error,
                           action=url_for("messages.with_resident", resident_id=resident.id), units=None,
                           me="staff"), 400 if error else 200
