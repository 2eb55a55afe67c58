"""The clinician's task list and task pages. Every look at a resident's data writes a PDL row; the
engine checks the role and unit again when a task is completed."""
from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy import select

import engine
from access import policy
from engine.db import db
from engine.models import ProcessInstance
from messaging import conversation
from web.programs import task_screen
from web.programs import view as program_view
from web.shell.screens import refuse, staff_with_role

bp = Blueprint("work", __name__, template_folder="templates")
STAFF_TASK_ROLES = ("behandlare", "invanaradmin")


def _staff_roles():
    principal = staff_with_role(*STAFF_TASK_ROLES)
    if principal.unit_id is None:
        refuse(principal, "no active unit")
    return principal, [r for r in STAFF_TASK_ROLES if principal.has(r)]


# The task list's filters: what a clinician asks for in a busy day.
FILTERS = {
    "alla": lambda task, principal, now: True,
    "flaggade": lambda task, principal, now: task.priority < 2,
    "forsenade": lambda task, principal, now: bool(task.due_at and task.due_at < now),
    "mina": lambda task, principal, now: task.assignee_id == principal.id,
}


@bp.get("/uppgifter")
def tasklist():
    principal, roles = _staff_roles()
    actor = principal.engine_actor()
    rows = [task for role in roles for task in engine.worklist(actor, role, [principal.unit_id], limit=200)]
    rows.sort(key=lambda t: (t.priority, t.due_at is None, t.due_at or t.created_at, t.created_at))
    now = engine.clock.now()
    chosen = request.args.get("visa", "alla")
    chosen = chosen if chosen in FILTERS else "alla"
    shown = [t for t in rows if FILTERS[chosen](t, principal, now)]
    listed, paused = _instances_for(principal, {t.instance_id for t in shown})
    unread = _unread_messages(principal)
    return render_template("work/tasklist.html", tasks=shown, residents=listed, paused=paused, now=now, chosen=chosen,
                           counts={name: sum(1 for t in rows if keep(t, principal, now)) for name, keep in FILTERS.items()},
                           unread=unread)


def _unread_messages(principal):
    """Residents on the unit with unread messages, each one shown logged like any list row."""
    if not principal.has("behandlare"):
        return []
    found = []
    for resident_id, count in sorted(conversation.unread_from_residents(principal.unit_id).items()):
        resident = policy.read_resident(principal, resident_id, action="list", resource_type="message",
                                        request_id=g.request_id)
        if resident is not None:
            found.append((resident, count))
    return found


def _instances_for(principal, instance_ids):
    """Per instance: its resident, each one shown logged (list; unreadable ones stay hidden), and
    whether it is paused (its tasks wait until the clinician resumes it)."""
    found = db.session.execute(select(ProcessInstance.id, ProcessInstance.subject_id, ProcessInstance.status)
                               .where(ProcessInstance.id.in_(instance_ids))).all()
    residents = {instance_id: policy.read_resident(principal, subject_id, action="list", resource_type="human_task",
                                                   resource_id=instance_id, request_id=g.request_id)
                 for instance_id, subject_id, _status in found if subject_id}
    return residents, {instance_id for instance_id, _subject, status in found if status == "paused"}


@bp.route("/uppgifter/<task_id>", methods=["GET", "POST"])
def task(task_id):
    principal, roles = _staff_roles()
    details = engine.task_details(task_id)
    if details is None:
        return render_template("work/gone.html"), 409
    if details.task.role not in roles or details.task.unit_id != principal.unit_id:
        refuse(principal, "task of another role or unit")
    resident = None
    if details.subject_id:
        resident = policy.read_resident(principal, details.subject_id, resource_type="human_task",
                                        resource_id=task_id, request_id=g.request_id)
        if resident is None:
            abort(404)
    latest = _latest_answers(details) if resident is not None else None
    return task_screen.show(principal, details, resident, url_for("work.tasklist"), latest_answers=latest)


def _latest_answers(details):
    """The resident's most recent answers in this program – the homework to give feedback on, the
    questionnaire to assess – shown with the clinician's task (the task page's PDL row covers it)."""
    progress = engine.instance_progress(details.instance_id)
    version_hash = engine.instance(details.instance_id).version_hash
    answered = [a for a in program_view.answered_steps(progress, version_hash, str(get_locale()))
                if a.step.role == "invanare" and a.rows]
    return answered[-1] if answered else None
