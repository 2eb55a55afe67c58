"""The resident's own steps: the list of what is theirs to do now and the page each is done on.
Every look writes a PDL row with the access basis "self"."""
from __future__ import annotations

from flask import Blueprint, abort, g, render_template, url_for

import engine
from access import pdl
from web.programs import task_screen
from web.shell.screens import signed_in_resident

bp = Blueprint("resident_tasks", __name__, template_folder="templates")


@bp.get("/mina-uppgifter")
def my_tasks():
    principal = signed_in_resident()
    tasks = engine.tasks_for_resident(principal.id)
    pdl.record(principal.access_context("invanare", g.request_id), action="list", resource_type="own_tasks",
               resource_id=None, resident_id=principal.id, access_basis="self")
    return render_template("work/my_tasks.html", tasks=tasks)


@bp.route("/mina-uppgifter/<task_id>", methods=["GET", "POST"])
def my_task(task_id):
    principal = signed_in_resident()
    details = engine.task_details(task_id)
    if details is None:
        return render_template("work/gone.html"), 409
    if details.task.role != "invanare" or details.task.assignee_id != principal.id:
        abort(404)
    pdl.record(principal.access_context("invanare", g.request_id), action="read", resource_type="human_task",
               resource_id=task_id, resident_id=principal.id, access_basis="self")
    return task_screen.show(principal, details, principal.resident, url_for("resident_tasks.my_tasks"))
