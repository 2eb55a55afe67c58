"""The resident's view of one program, in plain words and without JavaScript: modules done,
open and not yet open, their next steps, when the next step opens, and what they have answered.
The caller has checked that the program is theirs and written the PDL row."""
from __future__ import annotations

from flask import abort, render_template
from flask_babel import get_locale, lazy_gettext as _l

import engine
from web.programs import instructions
from web.programs import view as program_view
from web.shell.screens import local_today

MODULE_STATES = {"done": _l("Done"), "current": _l("Open now"),
                 "locked": _l("Opens when the module before is done"), "closed": _l("Not done")}


def render(principal, instance):
    progress = engine.instance_progress(instance.id)
    open_tasks = engine.ready_tasks(instance.id)
    mine = [t for t in open_tasks if t.role == "invanare" and t.assignee_id == principal.id]
    done = [step for step in progress.completed if step.role == "invanare"]
    next_opening = progress.waiting[0].due_at if progress.waiting else None
    return render_template(
        "resident/program.html", instance=instance, progress=progress, my_tasks=mine,
        clinic_is_working=any(t.role != "invanare" for t in open_tasks),
        modules=program_view.modules(progress), module_states=MODULE_STATES,
        next_opening=next_opening, days_to_next=_days_until(next_opening), done=done)


def render_done_step(instance, task_id: str):
    step = engine.done_step(instance.id, task_id)
    if step is None or step.role != "invanare":
        abort(404)
    progress = engine.instance_progress(instance.id)
    answered = next((a for a in program_view.answered_steps(progress, instance.version_hash, str(get_locale()))
                     if a.step.task_id == task_id), None)
    done_at = next((s.completed_at for s in progress.completed if s.task_id == task_id), None)
    return render_template("resident/done_step.html", instance=instance, program_name=progress.program_name,
                           step=step, done_at=done_at, text=instructions.for_done_step(step),
                           rows=answered.rows if answered else ())


def _days_until(moment) -> int | None:
    if moment is None:
        return None
    from zoneinfo import ZoneInfo
    return (moment.astimezone(ZoneInfo("Europe/Stockholm")).date() - local_today()).days
