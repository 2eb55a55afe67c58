"""The resident's own steps: the list of what is theirs to do now and the page each is done on.
Every look writes a PDL row with the access basis "self"."""
from __future__ import annotations

from flask import Blueprint, g, render_template, url_for

import engine
from access import pdl, policy
from care import program_pages
from video import booking as video
from web.programs import task_screen
from web.shell.screens import not_found, signed_in_resident

bp = Blueprint("resident_tasks", __name__, template_folder="templates")


@bp.get("/mina-uppgifter")
def my_tasks():
    principal = signed_in_resident()
    # A child sees the steps of the program their one-time code is for, no other (R43).
    tasks = engine.tasks_for_resident(principal.id, instance_id=principal.scope_instance_id if principal.scoped
                                      else None)
    if principal.scoped and principal.scope_instance_id is None:
        tasks = []
    pdl.record(principal.access_context("invanare", g.request_id), action="list", resource_type="own_tasks",
               resource_id=None, resident_id=principal.id, access_basis="self")
    meetings = [] if principal.scoped and principal.scope_instance_id is None else video.for_resident(
        principal.id, principal.scope_instance_id if principal.scoped else None)
    return render_template("work/my_tasks.html", tasks=tasks, meetings=meetings)


@bp.route("/mina-uppgifter/<task_id>", methods=["GET", "POST"])
def my_task(task_id):
    principal = signed_in_resident()
    details = engine.task_details(task_id)
    if details is None:
        return render_template("work/gone.html"), 409
    # The row goes on the step's resident, allowed or denied: a probe is logged on the right person.
    if not policy.read_own_task(principal, details, request_id=g.request_id):
        not_found(principal, f"task {task_id[:64]}")
    return task_screen.show(principal, details, principal.resident, url_for("resident_tasks.my_tasks"),
                            feedback=program_pages.unread_feedback(details.instance_id))
