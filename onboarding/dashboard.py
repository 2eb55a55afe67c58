"""The onboarding dashboard's figures: each case the principal may see with its open step, who
must act and since when, overdue first (the reminder's five working days on the platform's
calendar have passed); the number of open cases per step and the median days a step took."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

import engine
from access.models import Staff
from engine import clock, work_calendar  # facade exports
from engine.db import db
from onboarding import process
from onboarding.models import OnboardingApplication

REMINDER_WORKING_DAYS = 5  # as the process's reminder timers


@dataclass(frozen=True)
class Row:
    application: OnboardingApplication
    step: str | None         # the open step's element id, None once decided
    step_name: str | None
    actor: str | None        # "nationell_forvaltning" or "applicant"
    applicant_name: str
    since: datetime | None
    overdue: bool


@dataclass(frozen=True)
class StepFigure:
    step: str
    name: str
    open_now: int
    median_days: float | None


def rows(principal, *, kind: str = "", region: str = "", state: str = "", now: datetime | None = None) -> list[Row]:
    now = now or clock.now()
    found = [a for a in process.visible_to(principal)
             if (not kind or a.kind == kind) and (not region or a.region_provider_id == region)
             and (not state or a.state == state)]
    result = [_row(a, now) for a in found]
    # Overdue first, then whoever has waited longest, then the decided cases newest first.
    return sorted(result, key=lambda r: (not r.overdue, r.since is None, r.since or clock.now(),
                                         -r.application.submitted_at.timestamp()))


def _row(found: OnboardingApplication, now: datetime) -> Row:
    tasks = engine.ready_tasks(found.instance_id) if found.instance_id else []
    applicant = db.session.get(Staff, found.applicant_id)
    name = applicant.display_name if applicant else ""
    if not tasks:
        return Row(found, None, None, None, name, None, False)
    task = tasks[0]
    actor = "applicant" if task.element_id == process.COMPLETION_TASK else process.NATIONAL
    overdue = work_calendar.add_working_days(task.created_at, REMINDER_WORKING_DAYS) <= now
    return Row(found, task.element_id, task.name, actor, name, task.created_at, overdue)


def step_figures(shown: list[Row]) -> list[StepFigure]:
    """Per human step of the process: how many of the shown cases wait there now, and the median
    days from the step becoming ready to its completion over every time it was done."""
    names, open_now, durations = {}, {}, {}
    for row in shown:
        if row.step:
            names[row.step] = row.step_name
            open_now[row.step] = open_now.get(row.step, 0) + 1
        if row.application.instance_id:
            for step, name, days in _done_steps(row.application.instance_id):
                names.setdefault(step, name)
                durations.setdefault(step, []).append(days)
    order = ("review_application", process.COMPLETION_TASK, "final_review")
    steps = [s for s in order if s in names] + sorted(s for s in names if s not in order)
    return [StepFigure(s, names[s] or s, open_now.get(s, 0),
                       round(median(durations[s]), 1) if durations.get(s) else None) for s in steps]


def _done_steps(instance_id: str):
    ready = {}
    for event in engine.history(instance_id):
        if event.kind == "task_ready":
            ready.setdefault(event.element_id, []).append(event)
        elif event.kind == "completed" and ready.get(event.element_id):
            began = ready[event.element_id].pop(0)
            yield event.element_id, began.element_name, (event.at - began.at).total_seconds() / 86400
