"""Functions the platform offers designers in their expressions, registered with the engine at
start-up (the engine never imports forms). ``score('phq9')`` scores the instrument's answers in
the task data: ``{'total', 'band', 'flags', 'priority', ...}``, with risk items judged apart
from the total (PHQ-9 item 9 above 0 flags, whatever the total)."""
from __future__ import annotations

import engine
import forms


def _score(data: dict, instrument_id: str) -> dict:
    instrument = forms.instrument(instrument_id)
    answers = {key: data.get(key) for key in instrument.items}
    return forms.score(instrument_id, answers).as_dict()


def install() -> None:
    engine.register_data_function("score", _score)
