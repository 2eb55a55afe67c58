"""The clinician's page for one program of one resident: where they are (the BPMN diagram with
done, current and next marked, and the same in words), answers, score graphs with a table, the
latest messages and the history. The caller has checked access and written the PDL row."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask import render_template, request
from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from care import program_pages
from purging import journal
from video import booking as video
from web.clinic import score_graph
from web.shell.i18n import format_date

RECENT_EVENTS = 50  # an 8-week program has about a hundred; the rest on request
EVENT_LABELS = {
    "started": _l("Program started"), "completed": _l("Step done"), "task_ready": _l("Step opened"),
    "timer_fired": _l("Time reached"), "message_received": _l("Message received"),
    "signal_received": _l("Signal received"), "incident": _l("Stopped by an error"),
    "incident_retried": _l("Run again after an error"), "paused": _l("Paused"), "resumed": _l("Resumed"),
    "ended": _l("Ended"), "handed_over": _l("Handed over to another unit"),
    "reassigned": _l("Responsible clinician changed"), "taken_over": _l("Taken over by the new unit"),
    "moved": _l("Moved to a new version of the program"),
    "purged": _l("Working material purged"),
}

MODULE_STATES = {"done": _l("done"), "current": _l("open now"), "locked": _l("not open yet"),
                 "closed": _l("not done")}


@dataclass(frozen=True)
class ShownPoint:
    """A score as the graph shows it, with its short date in the reader's language."""

    at: datetime
    score: int
    label: str
    occasion: str
    band: str


def render(principal, resident, instance):
    page = program_pages.for_clinician(principal, resident.id, instance, str(get_locale()))
    show_all = request.args.get("historik") == "alla"
    series = [_dated(s) for s in page.series]
    return render_template(
        "clinic/program.html", resident=resident, instance=instance, progress=page.progress,
        diagrams=[_titled(d) for d in page.diagrams], modules=page.modules, open_tasks=page.open_tasks,
        answered=page.answered, series=series, graphs=[score_graph.render(s) for s in series],
        messages=page.messages, history=page.history if show_all else page.history[-RECENT_EVENTS:],
        history_total=len(page.history), event_labels=EVENT_LABELS, module_states=MODULE_STATES,
        owner=page.owner, unit=page.unit, actions=page.actions,
        meetings=video.for_tasks([t.id for t in page.open_tasks]),
        awaits_journal=journal.awaits_confirmation(instance))


def _titled(diagram):
    """A called process's diagram says which round it is (module 3 is the third round)."""
    if not diagram.round:
        return diagram
    return replace(diagram, title=_("%(title)s – round %(round)s", title=diagram.title, round=diagram.round))


def _dated(series):
    """The series with each point's short date under it, in the reader's language."""
    return replace(series, points=tuple(ShownPoint(p.at, p.score, format_date(p.at, "d MMM"), p.occasion, p.band)
                                        for p in series.points))
