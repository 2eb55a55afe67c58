"""The page a step is done on, for clinicians and residents alike: the form rendered and validated,
the completion through the engine, the PDL row of the update, notifications after the commit."""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import get_locale

import engine
import forms
from access import pdl
from engine.db import db
from notify import feedback
from tasks import notify_actors
from video import booking as video
from web.programs import instructions
from web.shell.screens import refuse


def show(principal, details, resident, back, latest_answers=None, feedback=None):
    form = load_form(details)
    values, errors = request.form if request.method == "POST" else None, None
    paused = details.instance_status == "paused"  # the page says so and offers no form
    if request.method == "POST" and not paused:
        submitted = request.form.copy()
        submitted.pop("csrf_token", None)
        clean, errors = forms.validate(form, submitted, str(get_locale())) if form else ({}, {})
        if not errors:
            return _complete(principal, details, resident, clean, back, form)
    status = 422 if errors else 409 if paused and request.method == "POST" else 200
    return render_template("work/task.html", details=details, resident=resident, back=back,
                           instructions=instructions.for_task(details),
                           form_html=forms.render_form(form, values, errors, str(get_locale()), markdown=instructions.render)
                           if form else None,
                           errors=errors, latest_answers=latest_answers, feedback=feedback,
                           meeting=video.for_tasks([details.task.id]).get(details.task.id)
                           if principal.kind == "staff" else None), status


def _complete(principal, details, resident, clean, back, form):
    try:
        outcome = engine.complete_task(details.task.id, principal.engine_actor(), clean)
    except engine.TaskConflict:
        db.session.rollback()
        return render_template("work/gone.html"), 409
    except engine.Forbidden:
        db.session.rollback()
        refuse(principal, "the engine refused the completion")
    except engine.InvalidTaskData:
        # The engine refused the answers as task data (a key it cannot use, or too much):
        # nothing was saved; a plain 400 page, never a 500.
        db.session.rollback()
        abort(400)
    own = principal.id if principal.kind != "staff" else None  # they see their next step right away
    notify_actors.announce_new_tasks(outcome, locale=str(get_locale()), completed_by=own)
    if principal.kind == "staff" and resident is not None and _writes_to_resident(form, clean):
        notify_actors.send_after_commit(feedback.enqueue_for(resident.id, details.task.id))
    pdl.record(principal.access_context(details.task.role, g.request_id), action="update",
               resource_type="human_task", resource_id=details.task.id,
               resident_id=resident.id if resident else None,
               access_basis="self" if principal.kind != "staff" else "care_relation")
    if principal.kind != "staff":  # the receipt: help first if the answers call for it, then what's next
        return redirect(url_for("resident.receipt", instance_id=details.instance_id, task_id=details.task.id))
    if outcome.status == "incident":
        return render_template("work/done.html", back=back, incident=True), 200
    return redirect(back)


def _writes_to_resident(form, clean: dict) -> bool:
    """The step's form has a field the resident reads (``shown_to_resident``) and it was filled."""
    return bool(form) and any(f.shown_to_resident and str(clean.get(f.key) or "").strip() for f in form.fields)


def load_form(details):
    if not details.form_name:
        return None
    source = details.form_source
    if source is None:
        source = forms.builtin_form(details.form_name)
    return forms.load_form(source, details.form_name)
