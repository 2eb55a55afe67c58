"""The clinician's task list and task pages. Every look at a resident's data writes a PDL row; the
engine checks the role and unit again when a task is completed."""
from __future__ import annotations

from flask import Blueprint, g, render_template, request, url_for
from flask_babel import get_locale

import engine
from access import policy
from care import program_pages
from care.tasklist import chosen_page, task_list
from web.programs import task_screen
from video import booking as video
from web.shell.screens import not_found, refuse, staff_with_role

bp = Blueprint("work", __name__, template_folder="templates")
STAFF_TASK_ROLES = ("behandlare", "invanaradmin")


def _staff_roles():
    principal = staff_with_role(*STAFF_TASK_ROLES)
    if principal.unit_id is None:
        refuse(principal, "no active unit")
    return principal, [r for r in STAFF_TASK_ROLES if principal.has(r)]


@bp.get("/uppgifter")
def tasklist():
    principal, roles = _staff_roles()
    found = task_list(principal, roles, request.args.get("visa"), g.request_id, chosen_page(request.args.get("sida")))
    # A meeting step shows its meeting: when, the join link in the window, or why it is not booked yet.
    return render_template("work/tasklist.html", found=found, meetings=video.for_tasks([t.id for t in found.tasks]))


@bp.route("/uppgifter/<task_id>", methods=["GET", "POST"])
def task(task_id):
    principal, roles = _staff_roles()
    details = engine.task_details(task_id)
    if details is None:
        return render_template("work/gone.html"), 409
    if details.task.role not in roles or details.task.unit_id != principal.unit_id:
        # A denied look at a resident's data like any other: the row goes on the task's resident.
        policy.record_denied(principal, details.subject_id, resource_type="human_task", resource_id=task_id,
                             reason="task of another role or unit", role=roles[0] if roles else None,
                             action="update" if request.method == "POST" else "read", request_id=g.request_id)
        refuse(principal, "task of another role or unit")  # the 403 hook commits the row
    resident = None
    if details.subject_id:
        resident = policy.read_resident(principal, details.subject_id, resource_type="human_task",
                                        resource_id=task_id, request_id=g.request_id)
        if resident is None:
            not_found(principal, f"task {task_id[:64]}")
    latest = (program_pages.latest_resident_answers(details.instance_id, str(get_locale()))
              if resident is not None else None)
    return task_screen.show(principal, details, resident, url_for("work.tasklist"), latest_answers=latest)
