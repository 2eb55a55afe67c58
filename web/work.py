"""Doing the work: the clinician's task list and task screens, the resident's own steps, and
starting a program for a resident (R27). Every look at a resident's data writes a PDL row; the
engine checks the role and unit again when a task is completed."""
from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy import select

import engine
import forms
from access import pdl, policy
from engine.db import db
from engine.models import ProcessInstance
from messaging import conversation
from notify import new_tasks
from tasks import notify_actors
from web import instructions, program_view
from web.screens import refuse, signed_in_resident, staff_with_role

bp = Blueprint("work", __name__)
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
    db.session.commit()
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
            db.session.commit()
            abort(404)
    latest = _latest_answers(details) if resident is not None else None
    return _task_screen(principal, details, resident, url_for("work.tasklist"), latest_answers=latest)


def _latest_answers(details):
    """The resident's most recent answers in this program – the homework to give feedback on, the
    questionnaire to assess – shown with the clinician's task (the task page's PDL row covers it)."""
    progress = engine.instance_progress(details.instance_id)
    version_hash = engine.instance(details.instance_id).version_hash
    answered = [a for a in program_view.answered_steps(progress, version_hash, str(get_locale()))
                if a.step.role == "invanare" and a.rows]
    return answered[-1] if answered else None


@bp.get("/mina-uppgifter")
def my_tasks():
    principal = signed_in_resident()
    tasks = engine.tasks_for_resident(principal.id)
    pdl.record(principal.access_context("invanare", g.request_id), action="list", resource_type="own_tasks",
               resource_id=None, resident_id=principal.id, access_basis="self")
    db.session.commit()
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
    return _task_screen(principal, details, principal.resident, url_for("work.my_tasks"))


def _task_screen(principal, details, resident, back, latest_answers=None):
    form = _load_form(details)
    values, errors = request.form if request.method == "POST" else None, None
    paused = details.instance_status == "paused"  # the page says so and offers no form
    if request.method == "POST" and not paused:
        submitted = request.form.copy()
        submitted.pop("csrf_token", None)
        clean, errors = forms.validate(form, submitted, str(get_locale())) if form else ({}, {})
        if not errors:
            return _complete(principal, details, resident, clean, back)
    db.session.commit()
    status = 422 if errors else 409 if paused and request.method == "POST" else 200
    return render_template("work/task.html", details=details, resident=resident, back=back,
                           instructions=instructions.for_task(details),
                           form_html=forms.render_form(form, values, errors, str(get_locale())) if form else None,
                           errors=errors, latest_answers=latest_answers), status


def _complete(principal, details, resident, clean, back):
    try:
        outcome = engine.complete_task(details.task.id, principal.engine_actor(), clean)
    except engine.TaskConflict:
        db.session.rollback()
        return render_template("work/gone.html"), 409
    except engine.Forbidden:
        db.session.rollback()
        refuse(principal, "the engine refused the completion")
    own = principal.id if principal.kind != "staff" else None  # they see their next step right away
    notify_actors.send_after_commit(new_tasks.enqueue_for(outcome, str(get_locale()), completed_by=own))
    pdl.record(principal.access_context(details.task.role, g.request_id), action="update",
               resource_type="human_task", resource_id=details.task.id,
               resident_id=resident.id if resident else None,
               access_basis="self" if principal.kind != "staff" else "care_relation")
    db.session.commit()
    if outcome.status == "incident":
        return render_template("work/done.html", back=back, incident=True), 200
    return redirect(back)


def _load_form(details):
    if not details.form_name:
        return None
    source = details.form_source
    if source is None:
        source = forms.builtin_form(details.form_name)
    return forms.load_form(source, details.form_name)
