"""The module overview in plain words, from the program's module_titles and module_nr."""
from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from care import program_view

TITLES = ["Start", "Aktiviteter", "Vidmakthållande"]


def states(status: str, module_nr, titles=TITLES, *, waiting=(), diagrams=(), open_steps=("a step",),
           **data) -> list[str]:
    progress = SimpleNamespace(status=status, latest_data={"module_titles": titles, "module_nr": module_nr, **data},
                               waiting=waiting, diagrams=diagrams)
    return [m.state for m in program_view.modules(progress, open_steps)]


def test_a_module_whose_first_step_waits_for_a_timer_is_not_open_now():
    # Module 2 has started but its first step opens in a week: it says when, not "open now".
    week = SimpleNamespace(due_at=datetime(2026, 12, 1, 8, tzinfo=timezone.utc))
    assert states("running", 2, waiting=(week,), open_steps=()) == ["done", "waiting", "locked"]
    progress = SimpleNamespace(status="running", latest_data={"module_titles": TITLES, "module_nr": 2},
                               waiting=(week,), diagrams=())
    assert program_view.modules(progress, ())[1].opens_at == week.due_at
    assert states("running", 2, waiting=(week,)) == ["done", "current", "locked"]  # a step is open: it is


def test_a_program_ended_after_its_current_modules_round_finished_counts_that_module_done():
    rounds = (SimpleNamespace(finished=False), SimpleNamespace(finished=True))
    assert states("ended", 1, diagrams=rounds) == ["done", "closed", "closed"]
    assert states("ended", 1, diagrams=(SimpleNamespace(finished=False), SimpleNamespace(finished=False))) == [
        "closed", "closed", "closed"]


@pytest.mark.parametrize("status", ["running", "paused", "incident"])
def test_an_open_program_has_modules_done_one_open_and_the_rest_waiting(status):
    assert states(status, 2) == ["done", "current", "locked"]


def test_a_program_that_ran_to_its_end_has_every_module_done():
    assert states("completed", 3) == ["done", "done", "done"]


def test_the_module_the_treatment_was_stopped_in_is_not_done():
    # The round ran to the stop's end event and the program "completed", but the module was not done.
    rounds = (SimpleNamespace(finished=False), SimpleNamespace(finished=True), SimpleNamespace(finished=True))
    assert states("completed", 2, diagrams=rounds, treatment_stopped=True) == ["done", "closed", "closed"]
    assert states("completed", 3, treatment_stopped=False) == ["done", "done", "done"]


@pytest.mark.parametrize("status", ["ended", "cancelled"])
def test_a_program_ended_early_says_which_modules_were_never_done(status):
    assert states(status, 2) == ["done", "closed", "closed"]


def test_a_program_without_the_convention_has_no_overview():
    assert states("running", "2") == [] and states("running", 1, titles="Start") == []
