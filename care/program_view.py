"""The program read model, worked out from ``engine.instance_progress``: the answers given in
each completed step (with the form's own labels), score series per questionnaire, and where the
resident stands in plain words (modules done, current and locked).

Scores are worked out again from the stored answers with the instrument library, so a graph
needs nothing from the program but a form that asks all of an instrument's items. Dates stay
datetimes here: the pages format them for the reader's language.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import engine
import forms


@dataclass(frozen=True)
class AnswerRow:
    question: str
    answer: str


@dataclass(frozen=True)
class AnsweredStep:
    step: engine.CompletedStep
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class Point:
    at: datetime
    score: int
    occasion: str  # the step it was answered in, for the table
    band: str


@dataclass(frozen=True)
class Series:
    instrument_id: str
    title: str
    max_score: int
    bands: tuple[tuple[int, int, str], ...]
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Module:
    number: int
    title: str
    # "done", "current" (open now), "waiting" (started, but its first step opens at ``opens_at``),
    # "locked" (not open yet) or "closed" (the program ended first)
    state: str
    opens_at: datetime | None = None


@lru_cache(maxsize=256)
def load_form(version_hash: str, form_name: str | None):
    """The step's form, from the program's own files or the built-in library; None if neither.
    Cached: a version never changes, and a program page asks for the same forms again and again."""
    if not form_name:
        return None
    source = engine.form_file(version_hash, form_name)
    if source is None:
        if form_name not in forms.builtin_form_names():
            return None
        source = forms.builtin_form(form_name)
    try:
        return forms.load_form(source, form_name)
    except forms.FormError:
        return None


def answered_steps(progress: engine.Progress, version_hash: str, locale: str) -> list[AnsweredStep]:
    """Each completed step that had a form, with only that form's questions and the answers given
    (task data also carries earlier steps' values, which must not show up as this step's)."""
    result = []
    for step in progress.completed:
        form = load_form(version_hash, step.form)
        if form is None:
            continue
        rows = tuple(AnswerRow(field.localized("label", locale) or field.key, _answer_text(field, step.data[field.key], locale))
                     for field in form.fields if field.key and field.key in step.data)
        result.append(AnsweredStep(step, rows))
    return result


@dataclass(frozen=True)
class Feedback:
    """What a clinician wrote for the resident to read, and on which of the resident's steps."""

    given_at: datetime
    text: str
    about: engine.CompletedStep | None  # the resident's step just before it (the homework)
    position: int  # its step's place among the completed steps (times can tie)


def feedback_for_resident(progress: engine.Progress, version_hash: str) -> list[Feedback]:
    """Every answer in a staff step's form field marked ``shown_to_resident``, oldest first."""
    found, last_own = [], None
    for position, step in enumerate(progress.completed):
        if step.role == "invanare":
            last_own = step
            continue
        form = load_form(version_hash, step.form)
        for field in (form.fields if form else ()):
            text = step.data.get(field.key) if field.shown_to_resident else None
            if isinstance(text, str) and text.strip():
                found.append(Feedback(step.completed_at, text.strip(), last_own, position))
    return found


def _answer_text(field, value, locale: str) -> str:
    for option in field.options:
        if str(option.value) == str(value):
            text = option.label_en if locale.startswith("en") and option.label_en else option.label
            return f"{text} ({value})" if field.int_options else text
    if isinstance(value, bool):
        return "✓" if value else "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def score_series(progress: engine.Progress, version_hash: str, locale: str) -> list[Series]:
    """One series per instrument that some completed step's form asked in full, oldest first."""
    points: dict[str, list[Point]] = {}
    for step in progress.completed:
        form = load_form(version_hash, step.form)
        if form is None:
            continue
        keys = {field.key for field in form.fields if field.key}
        for instrument_id in forms.instrument_ids():
            instrument = forms.instrument(instrument_id)
            if not set(instrument.items) <= keys:
                continue
            try:
                result = forms.score(instrument_id, {k: step.data.get(k) for k in instrument.items})
            except forms.ScoreError:
                continue  # an answer set that cannot be scored is shown in the answers, not graphed
            points.setdefault(instrument_id, []).append(
                Point(step.completed_at, result.total, step.name, result.band.label.get(locale)))
    return [_series(instrument_id, found, locale) for instrument_id, found in sorted(points.items())]


def _series(instrument_id: str, points: list[Point], locale: str) -> Series:
    instrument = forms.instrument(instrument_id)
    bands = tuple((b.min, b.max, b.label.get(locale)) for b in instrument.bands)
    return Series(instrument_id, instrument.name.get(locale), instrument.score_range[1], bands, tuple(points))


def modules(progress: engine.Progress, open_steps: list | tuple = ()) -> list[Module]:
    """Programs that list their modules in ``module_titles`` and count the open one in
    ``module_nr`` (the convention docs/ENGINE.md describes) get a module overview, told from where
    the instance stands: the current module is "open now" only while a step is open in the
    program (``open_steps``: its ready tasks); when nothing is open and a timer is running, it
    opens when the timer fires. In a finished program a module is done when the program ran past
    it, or when its own round ran to its end; the others were never done ("closed"). A program
    that stops the treatment inside a module says so in ``treatment_stopped``: that module's round
    ran to an end too (the stop's), and the whole program "completed", but the module was not done."""
    data = progress.latest_data
    titles, current = data.get("module_titles"), data.get("module_nr")
    if not isinstance(titles, list) or not isinstance(current, int):
        return []
    finished = progress.status in ("completed", "cancelled", "ended")
    current_done = not data.get("treatment_stopped") and (
        progress.status == "completed" or _latest_round_finished(progress))
    opens_at = progress.waiting[0].due_at if progress.waiting and not open_steps else None
    result = []
    for number, title in enumerate(titles, start=1):
        if number < current or (number == current and current_done):
            state = "done"
        elif finished:
            state = "closed"
        elif number == current:
            state = "waiting" if opens_at else "current"
        else:
            state = "locked"
        result.append(Module(number, str(title), state, opens_at if state == "waiting" else None))
    return result


def _latest_round_finished(progress: engine.Progress) -> bool:
    """The newest round of a called process (the current module) reached its end."""
    return len(progress.diagrams) > 1 and progress.diagrams[-1].finished


def shown_diagrams(progress: engine.Progress) -> list[engine.Diagram]:
    """The main process and, of each called process, the latest round: the one that matters now."""
    latest: dict[str, engine.Diagram] = {}
    for diagram in progress.diagrams[1:]:
        latest[diagram.process_id] = diagram
    return [progress.diagrams[0], *latest.values()] if progress.diagrams else []
