"""What the program pages show, gathered in one call each: the clinician's page (where the
resident stands, answers, scores, messages, history, what may be done), the resident's page and
one step the resident has done. The callers have checked access and written the PDL row."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import engine
from access.models import Staff, Unit
from care import program_actions, program_view, safety
from engine.db import db
from messaging import conversation

RECENT_MESSAGES = 5
RESIDENT_ROLE = "invanare"
FINISHED = ("completed", "cancelled", "ended")
DEFAULT_FEEDBACK_DAYS = 2  # working days; a program may say otherwise (program.json feedback_working_days)


@dataclass(frozen=True)
class ClinicianPage:
    """The clinician's view of one program of one resident; ``history`` is every event, oldest first."""

    progress: engine.Progress
    open_tasks: list
    diagrams: list
    modules: list
    answered: list
    series: list
    messages: list
    history: list
    owner: Staff | None
    unit: Unit | None
    actions: dict


@dataclass(frozen=True)
class ResidentPage:
    """The resident's view of their program: their open steps, their done steps, what comes next."""

    progress: engine.Progress
    my_tasks: list
    done: list
    modules: list
    clinic_is_working: bool  # a step of the clinic's is open: the resident waits for them
    next_opening: datetime | None
    feedback: list  # what the clinician wrote to the resident, newest first


@dataclass(frozen=True)
class DoneStepPage:
    """One step the resident has done, with the answers they gave in it."""

    step: engine.DoneStep
    program_name: str
    done_at: datetime | None
    rows: tuple
    feedback: list  # the clinician's feedback on this step


def program_steps(open_tasks) -> list:
    """The program's own open steps: not the platform's (a hand-over to take over is not a step of
    the program, so it neither opens a module nor tells the resident the clinic is working)."""
    return [t for t in open_tasks if not engine.is_platform_task(t.element_id)]


def for_clinician(principal, resident_id: str, instance, locale: str) -> ClinicianPage:
    """Gather the clinician's page of ``instance``; writes no PDL row."""
    progress = engine.instance_progress(instance.id)
    open_tasks = engine.ready_tasks(instance.id)
    return ClinicianPage(
        progress=progress, open_tasks=open_tasks, diagrams=program_view.shown_diagrams(progress),
        modules=program_view.modules(progress, program_steps(open_tasks)),
        answered=program_view.answered_steps(progress, instance.version_hash, locale),
        series=program_view.score_series(progress, instance.version_hash, locale),
        messages=conversation.thread(resident_id, instance.unit_id, limit=RECENT_MESSAGES),
        history=history(instance.id, progress, open_tasks),
        owner=db.session.get(Staff, instance.owner_id) if instance.owner_id else None,
        unit=db.session.get(Unit, instance.unit_id) if instance.unit_id else None,
        actions=program_actions.available_actions(principal, instance))


def history(instance_id: str, progress: engine.Progress, open_tasks) -> list:
    """What people did and what time did: the steps of scripts and gateways are the program's
    inner workings, not history a clinician reads."""
    people_steps = {s.element_id for s in progress.completed} | {t.element_id for t in open_tasks}
    return [e for e in engine.history(instance_id)
            if e.kind not in ("completed", "task_ready") or e.element_id in people_steps]


def for_resident(resident_id: str, instance) -> ResidentPage:
    """Gather the resident's page of their own ``instance``."""
    progress = engine.instance_progress(instance.id)
    open_tasks = engine.ready_tasks(instance.id)
    return ResidentPage(
        progress=progress,
        my_tasks=[t for t in open_tasks if t.role == RESIDENT_ROLE and t.assignee_id == resident_id],
        done=[step for step in progress.completed if step.role == RESIDENT_ROLE],
        modules=program_view.modules(progress, program_steps(open_tasks)),
        clinic_is_working=any(t.role != RESIDENT_ROLE for t in program_steps(open_tasks)),
        next_opening=progress.waiting[0].due_at if progress.waiting else None,
        feedback=list(reversed(program_view.feedback_for_resident(progress, instance.version_hash))))


def unread_feedback(instance_id: str):
    """The clinician's latest feedback when the resident has done nothing since it was given
    (shown beside the step they open next, e.g. the next module), else None."""
    progress = engine.instance_progress(instance_id)
    given = program_view.feedback_for_resident(progress, engine.instance(instance_id).version_hash)
    own = [i for i, s in enumerate(progress.completed) if s.role == RESIDENT_ROLE]
    if not given or (own and own[-1] > given[-1].position):
        return None
    return given[-1]


def done_step(instance, task_id: str, locale: str) -> DoneStepPage | None:
    """One of the resident's own done steps with its answers; None for any other task."""
    step = engine.done_step(instance.id, task_id)
    if step is None or step.role != RESIDENT_ROLE:
        return None
    progress = engine.instance_progress(instance.id)
    answered = next((a for a in program_view.answered_steps(progress, instance.version_hash, locale)
                     if a.step.task_id == task_id), None)
    done_at = next((s.completed_at for s in progress.completed if s.task_id == task_id), None)
    feedback = [f for f in program_view.feedback_for_resident(progress, instance.version_hash)
                if f.about is not None and f.about.task_id == task_id]
    return DoneStepPage(step, progress.program_name, done_at, answered.rows if answered else (), feedback)


def latest_resident_answers(instance_id: str, locale: str):
    """The resident's most recent answers in this program – the homework to give feedback on, the
    questionnaire to assess – or None; shown with a clinician's task, whose PDL row covers it."""
    progress = engine.instance_progress(instance_id)
    version_hash = engine.instance(instance_id).version_hash
    answered = [a for a in program_view.answered_steps(progress, version_hash, locale)
                if a.step.role == RESIDENT_ROLE and a.rows]
    return answered[-1] if answered else None


@dataclass(frozen=True)
class ReceiptPage:
    """What a resident reads right after sending a step: whether to seek help now, that it
    arrived, who has it, and what comes next – all from where the instance stands now."""

    step_name: str
    program_name: str
    risk: bool  # the step's own answers raised a risk flag: the crisis information comes first
    crisis_text: str
    stopped: bool  # the program went to incident after the answer (an administrator was told)
    ended: bool  # the answer was the program's last step: nothing comes next, not "nothing right now"
    clinic_has_it: bool  # a step of the clinic's is open: someone will read the answer
    feedback_days: int
    next_task: object | None  # the resident's next open step in this program
    next_opening: datetime | None


def receipt(resident_id: str, instance, task_id: str, locale: str) -> ReceiptPage | None:
    """The receipt of one of the resident's own done steps; None for any other task."""
    progress = engine.instance_progress(instance.id)
    done = next((s for s in progress.completed if s.task_id == task_id and s.role == RESIDENT_ROLE), None)
    if done is None:
        return None
    form = program_view.load_form(instance.version_hash, done.form)
    own_answers = {f.key: done.data.get(f.key) for f in form.fields if f.key} if form else {}
    open_tasks = engine.ready_tasks(instance.id)
    mine = [t for t in open_tasks if t.role == RESIDENT_ROLE and t.assignee_id == resident_id]
    meta = engine.version(instance.version_hash).meta or {}
    # The steps this answer opened; a clinic step already waiting before it (say, a missed
    # week's follow-up) is about something else and does not mean anyone reads this answer.
    opened = [t for t in open_tasks if t.created_at >= done.completed_at]
    return ReceiptPage(
        step_name=done.name, program_name=progress.program_name,
        risk=safety.risk_raised(own_answers, {t.priority for t in opened}),
        crisis_text=safety.crisis_text(engine.program_texts(instance.version_hash), locale),
        stopped=progress.status == "incident",
        ended=progress.status in FINISHED,
        clinic_has_it=any(t.role != RESIDENT_ROLE for t in program_steps(opened)),
        feedback_days=int(meta.get("feedback_working_days", DEFAULT_FEEDBACK_DAYS)),
        next_task=mine[0] if mine else None,
        next_opening=progress.waiting[0].due_at if progress.waiting and not mine else None)
