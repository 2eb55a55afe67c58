"""What a clinician does to a whole program: pause it into a maintenance phase, resume it, end
it early, hand it over to another unit of the same care provider, press a named action the
program waits for; and changing the responsible clinician, which the unit's resident
administrator also does when a clinician is away.

Which actions and choices there are is ``care.program_actions``'s to say. Every route: the
staff principal, the instance, ``access.policy`` decides (a refusal is a denied PDL row and a
403), the choice is checked against what the page offered (400 and nothing changed otherwise),
one engine call, the PDL row of the change, back to the program's page (the app commits).
"""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l

import engine
from access import policy, program_policy
from access.models import Resident
from care.program_actions import clinician_choices, handover_choices
from engine.db import db
from tasks import notify_actors
from web.shell.screens import not_found, refuse, signed_in_staff

bp = Blueprint("program_actions", __name__, template_folder="templates")

MAX_ID = 64
END_REASON_LABELS = {
    "completed_early": _l("The goals were reached early"),
    "resident_request": _l("The resident asked to end"),
    "referred": _l("Referred to other care"),
    "no_contact": _l("No contact with the resident"),
    "other": _l("Another reason"),
}
TITLES = {
    "pause": _l("Pause the program"), "resume": _l("Resume the program"), "end": _l("End the program"),
    "hand_over": _l("Hand over to another unit"), "reassign": _l("Change the responsible clinician"),
    "named_action": _l("A step the program waits for"),
}
CONFLICT = _l("The program has changed since the page was shown (it may have been paused, resumed or "
              "ended by someone else). Nothing was changed now.")


def end_reasons() -> list[tuple[str, object]]:
    """(code, label) in the engine's order; labels stay lazy, translated where they are shown."""
    return [(code, END_REASON_LABELS[code]) for code in engine.END_REASONS]


@bp.post("/program/<instance_id>/paus")
def pause(instance_id: str):
    principal, instance, decision = _authorized(instance_id, "pause")
    return _change(principal, instance, decision, "pause", lambda actor: engine.pause(instance.id, actor))


@bp.post("/program/<instance_id>/ateruppta")
def resume(instance_id: str):
    principal, instance, decision = _authorized(instance_id, "resume")

    def resume_and_announce(actor):
        outcome = engine.resume(instance.id, actor)
        notify_actors.announce_new_tasks(outcome)  # steps that opened now
    return _change(principal, instance, decision, "resume", resume_and_announce)


@bp.post("/program/<instance_id>/atgard/<action>")
def named_action(instance_id: str, action: str):
    """A button the program page shows while the BPMN waits for ``vardflode.action.<action>``."""
    principal, instance, decision = _authorized(instance_id, "named_action")
    if not engine.is_platform_message(engine.ACTION_PREFIX + action[:MAX_ID]):
        not_found(principal, f"named action {action[:MAX_ID]!r} on {instance.id}")

    def press_and_announce(actor):
        notify_actors.announce_new_tasks(engine.press_action(instance.id, action, actor))
    # Pressed by someone else first, or a timer won the race: a 409 page that says where it stands.
    return _change(principal, instance, decision, "named_action", press_and_announce)


@bp.route("/program/<instance_id>/avsluta", methods=["GET", "POST"])
def end(instance_id: str):
    principal, instance, decision = _authorized(instance_id, "end")
    choices = {"reasons": end_reasons()}
    if request.method == "GET":
        return _page(principal, instance, decision, "end", choices)
    reason = request.form.get("reason", "")
    if reason not in dict(choices["reasons"]):
        return _page(principal, instance, decision, "end", choices, _("Choose one of the reasons offered."), 400)
    return _change(principal, instance, decision, "end", lambda actor: engine.end(instance.id, actor, reason))


@bp.route("/program/<instance_id>/overlamna", methods=["GET", "POST"])
def hand_over(instance_id: str):
    principal, instance, decision = _authorized(instance_id, "hand_over")
    choices = {"units": handover_choices(instance)}
    if request.method == "GET":
        return _page(principal, instance, decision, "hand_over", choices)
    unit = next((u for u in choices["units"] if u.id == request.form.get("unit")), None)
    owner = request.form.get("clinician", "")
    error = (_("Choose one of the units offered.") if unit is None else
             _("Choose a clinician who works on the unit you chose, or nobody in particular.")
             if owner and owner not in {c.id for c in unit.clinicians} else None)
    if error:
        return _page(principal, instance, decision, "hand_over", choices, error, 400)

    def hand_over_and_announce(actor):
        engine.hand_over(instance.id, actor, unit.id, owner or None)
        notify_actors.announce_handover(next(t for t in engine.ready_tasks(instance.id)
                                             if t.element_id == engine.HANDOVER_TASK))
    # Afterwards the program is the other unit's, so its page is no longer ours to show.
    return _change(principal, instance, decision, "hand_over", hand_over_and_announce,
                   done=lambda: render_template("clinic/actions/handed_over.html", unit=unit))


@bp.route("/program/<instance_id>/ansvarig", methods=["GET", "POST"])
def responsible(instance_id: str):
    principal, instance, decision = _authorized(instance_id, "reassign")
    choices = {"clinicians": clinician_choices(instance), "task": _escalation_task(instance, request.values.get("uppgift"))}
    if request.method == "GET":
        return _page(principal, instance, decision, "reassign", choices)
    owner = request.form.get("clinician", "")
    if owner not in {c.id for c in choices["clinicians"]}:
        return _page(principal, instance, decision, "reassign", choices,
                     _("Choose one of the clinicians offered."), 400)
    task_id = choices["task"]
    done = (lambda: redirect(url_for("work.task", task_id=task_id))) if task_id else None
    return _change(principal, instance, decision, "reassign",
                   lambda actor: engine.reassign(instance.id, actor, owner), done=done)


def _authorized(instance_id: str, action: str):
    """The principal, the instance and the policy's yes; a no is a denied PDL row and a 403."""
    principal = signed_in_staff()
    instance = engine.instance(instance_id[:MAX_ID])
    if instance is None or instance.subject_id is None:
        not_found(principal, f"program action {action} on {instance_id[:MAX_ID]}")
    decision = program_policy.program_action_decision(principal, instance, action)
    if not decision.allowed:
        program_policy.record_program_action(principal, instance, decision, request_id=g.request_id,
                                     action="update" if request.method == "POST" else "read")
        refuse(principal, f"program action {action}: {decision.reason}")  # the 403 is committed, this row too
    return principal, instance, decision


def _change(principal, instance, decision, action, change, done=None):
    try:
        change(principal.engine_actor())
    except engine.TaskConflict:
        db.session.rollback()
        # The page says where the program stands now, after the change that beat this one.
        return _page(principal, engine.instance(instance.id), decision, action, {}, str(CONFLICT), 409)
    except engine.Forbidden:
        db.session.rollback()
        refuse(principal, f"the engine refused program action {action}")
    program_policy.record_program_action(principal, instance, decision, action="update", request_id=g.request_id)
    response = done() if done else redirect(program_page(instance))
    return response


def _page(principal, instance, decision, action, choices, error=None, status=200):
    """The confirmation or choice page (also shown again, with what was wrong, after a bad choice)."""
    program_policy.record_program_action(principal, instance, decision, action="read", request_id=g.request_id)
    program = engine.version(instance.version_hash).name
    resident = db.session.get(Resident, instance.subject_id)
    page = render_template("clinic/actions/page.html", instance=instance, action=action, title=TITLES[action],
                           choices=choices, error=error, back=program_page(instance), program=program,
                           resident=resident)
    return page, status


def program_page(instance) -> str:
    return url_for("clinic.program", resident_id=instance.subject_id, instance_id=instance.id)


def _escalation_task(instance, task_id: str | None) -> str | None:
    """The resident administrator's open task on this instance the page was opened from, to go
    back to it afterwards; anything else is ignored (no open redirect through this)."""
    if not task_id:
        return None
    found = [t.id for t in engine.ready_tasks(instance.id) if t.id == task_id[:MAX_ID] and t.role == "invanaradmin"]
    return found[0] if found else None
