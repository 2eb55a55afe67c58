"""The clinician's page for one program of one resident: where they are (the BPMN diagram with
done, current and next marked, and the same in words), answers, score graphs with a table, the
latest messages and the history. The caller has checked access and written the PDL row."""
from __future__ import annotations

from dataclasses import replace

from flask import render_template, request
from flask_babel import get_locale, gettext as _, lazy_gettext as _l

import engine
from access.models import Staff, Unit
from engine.db import db
from messaging import conversation
from web.clinic import program_actions
from web.programs import view as program_view
from web.clinic import score_graph

RECENT_MESSAGES = 5
RECENT_EVENTS = 50  # an 8-week program has about a hundred; the rest on request
EVENT_LABELS = {
    "started": _l("Program started"), "completed": _l("Step done"), "task_ready": _l("Step opened"),
    "timer_fired": _l("Time reached"), "message_received": _l("Message received"),
    "signal_received": _l("Signal received"), "incident": _l("Stopped by an error"),
    "incident_retried": _l("Run again after an error"), "paused": _l("Paused"), "resumed": _l("Resumed"),
    "ended": _l("Ended"), "handed_over": _l("Handed over to another unit"),
    "reassigned": _l("Responsible clinician changed"),
}

MODULE_STATES = {"done": _l("done"), "current": _l("open now"), "locked": _l("not open yet"),
                 "closed": _l("not done")}


def render(principal, resident, instance):
    locale = str(get_locale())
    progress = engine.instance_progress(instance.id)
    open_tasks = engine.ready_tasks(instance.id)
    history = _history(instance.id, progress, open_tasks)
    show_all = request.args.get("historik") == "alla"
    series = program_view.score_series(progress, instance.version_hash, locale)
    return render_template(
        "clinic/program.html", resident=resident, instance=instance, progress=progress,
        diagrams=[_titled(d) for d in program_view.shown_diagrams(progress)], modules=program_view.modules(progress),
        open_tasks=open_tasks, answered=program_view.answered_steps(progress, instance.version_hash, locale),
        series=series, graphs=_graphs(series),
        messages=conversation.thread(resident.id, instance.unit_id, limit=RECENT_MESSAGES),
        history=history if show_all else history[-RECENT_EVENTS:], history_total=len(history),
        event_labels=EVENT_LABELS, module_states=MODULE_STATES,
        owner=db.session.get(Staff, instance.owner_id) if instance.owner_id else None,
        unit=db.session.get(Unit, instance.unit_id) if instance.unit_id else None,
        actions=program_actions.available_actions(principal, instance))


def _titled(diagram):
    """A called process's diagram says which round it is (module 3 is the third round)."""
    if not diagram.round:
        return diagram
    return replace(diagram, title=_("%(title)s – round %(round)s", title=diagram.title, round=diagram.round))


def _history(instance_id, progress, open_tasks):
    """What people did and what time did: the steps of scripts and gateways are the program's
    inner workings, not history a clinician reads."""
    people_steps = {s.element_id for s in progress.completed} | {t.element_id for t in open_tasks}
    return [e for e in engine.history(instance_id)
            if e.kind not in ("completed", "task_ready") or e.element_id in people_steps]


def _graphs(series):
    return [score_graph.render(s) for s in series]

