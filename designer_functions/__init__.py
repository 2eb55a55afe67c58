"""Functions the platform offers designers in their expressions, registered with the engine at
start-up. ``score('phq9')`` scores the instrument's answers in the task data: ``{'total', 'band',
'flags', 'priority', ...}``, with risk items judged apart from the total (PHQ-9 item 9 above 0
flags, whatever the total).

A top-level package because it only joins two packages that may not know each other (the
engine never imports forms, forms import nothing of the platform), and both the app
(``create_app``, hence the worker and the scheduler) and the commands that check or run
packages without an app (validate, simulate, the benchmarks) must register the same
functions: it belongs to neither web nor cli. Registering again replaces a function by itself.
"""
from __future__ import annotations

import engine
import forms


def _score(data: dict, instrument_id: str) -> dict:
    instrument = forms.instrument(instrument_id)
    answers = {key: data.get(key) for key in instrument.items}
    return forms.score(instrument_id, answers).as_dict()


def install() -> None:
    """Register every designer function with the engine (harmless to repeat)."""
    engine.register_data_function("score", _score)
    engine.describe_helper(
        "score", "score('phq9')",
        "Poäng för ett instrument ur svaren: total, band (svårighetsgrad), riskflaggor och prioritet.",
        "Scores an instrument from the answers: total, band (severity), risk flags and priority.")
