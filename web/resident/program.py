"""The resident's view of one program, in plain words and without JavaScript: modules done,
open and not yet open, their next steps, when the next step opens, and what they have answered.
The caller has checked that the program is theirs and written the PDL row."""
from __future__ import annotations

from flask import render_template
from flask_babel import get_locale, lazy_gettext as _l

from care import program_pages
from purging import journal
from engine import clock
from web.programs import instructions
from web.shell.screens import not_found

MODULE_STATES = {"done": _l("Done"), "current": _l("Open now"),
                 "locked": _l("Opens when the module before is done"), "closed": _l("Not done")}


def render(principal, instance):
    page = program_pages.for_resident(principal.id, instance)
    return render_template(
        "resident/program.html", instance=instance, progress=page.progress, my_tasks=page.my_tasks,
        clinic_is_working=page.clinic_is_working, modules=page.modules, module_states=MODULE_STATES,
        next_opening=page.next_opening, days_to_next=_days_until(page.next_opening), done=page.done,
        feedback=page.feedback, purge=journal.outlook(instance))


def render_done_step(principal, instance, task_id: str):
    page = program_pages.done_step(instance, task_id, str(get_locale()))
    if page is None:
        not_found(principal, f"done step {task_id} of {instance.id}")
    return render_template("resident/done_step.html", instance=instance, program_name=page.program_name,
                           step=page.step, done_at=page.done_at, text=instructions.for_done_step(page.step),
                           rows=page.rows, feedback=page.feedback)


def render_receipt(principal, instance, task_id: str):
    page = program_pages.receipt(principal.id, instance, task_id, str(get_locale()))
    if page is None:
        not_found(principal, f"receipt {task_id} of {instance.id}")
    return render_template("resident/receipt.html", instance=instance, task_id=task_id, page=page,
                           crisis=instructions.render(page.crisis_text) if page.risk else None,
                           days_to_next=_days_until(page.next_opening))


def _days_until(moment) -> int | None:
    if moment is None:
        return None
    return (moment.astimezone(clock.SWEDEN).date() - clock.local_today()).days
