"""What keeps a resident safe between the moment they answer and the moment someone reads it.

Answers are read by a clinician later, never at once, so whenever an answer raises a risk flag
(an item of a questionnaire at or above its risk threshold, or the program marking the step as
high priority) the resident is shown the crisis information on the very page they land on. The
crisis text is data: the platform's own, per language, unless the program brings its own
(``texts/crisis.md``, ``texts/crisis_en.md``), which its publisher reviews with the rest of it.
"""
from __future__ import annotations

from importlib import resources

import forms

PROGRAM_TEXT = {"sv": "crisis", "en": "crisis_en"}
HIGH_PRIORITY = 0  # engine task priority: 0 high, 1 attention, 2 normal


def risk_raised(answers: dict, flagged_after) -> bool:
    """True when the answers raise any risk flag of a questionnaire they answer in full, or the
    program's own rule raised a step it opened after them to high priority (``flagged_after``:
    the priorities of the steps opened since; a program flags with ``priority = 'high'``)."""
    return HIGH_PRIORITY in flagged_after or bool(risk_flags(answers))


def risk_flags(answers: dict) -> list:
    """The raised risk rules of every questionnaire whose items are all answered."""
    raised = []
    for instrument_id in forms.instrument_ids():
        items = forms.instrument(instrument_id).items
        if not all(answers.get(item) is not None for item in items):
            continue
        try:
            raised += forms.score(instrument_id, {item: answers[item] for item in items}).flags
        except forms.ScoreError:
            continue  # answers outside the scale are not this questionnaire's
    return raised


def crisis_text(program_texts: dict, locale: str) -> str:
    """The crisis information in Markdown, in the page's language: the program's own when it
    brings one, else the platform's."""
    language = "en" if locale.startswith("en") else "sv"
    own = program_texts.get(PROGRAM_TEXT[language])
    if own:
        return own
    return resources.files("care").joinpath("texts", f"crisis_{language}.md").read_text(encoding="utf-8")
