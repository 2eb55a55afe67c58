"""The module overview in plain words, from the program's module_titles and module_nr."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from care import program_view

TITLES = ["Start", "Aktiviteter", "Vidmakthållande"]


def states(status: str, module_nr, titles=TITLES) -> list[str]:
    progress = SimpleNamespace(status=status, latest_data={"module_titles": titles, "module_nr": module_nr})
    return [m.state for m in program_view.modules(progress)]


@pytest.mark.parametrize("status", ["running", "paused", "incident"])
def test_an_open_program_has_modules_done_one_open_and_the_rest_waiting(status):
    assert states(status, 2) == ["done", "current", "locked"]


def test_a_program_that_ran_to_its_end_has_every_module_done():
    assert states("completed", 3) == ["done", "done", "done"]


@pytest.mark.parametrize("status", ["ended", "cancelled"])
def test_a_program_ended_early_says_which_modules_were_never_done(status):
    assert states(status, 2) == ["done", "closed", "closed"]


def test_a_program_without_the_convention_has_no_overview():
    assert states("running", "2") == [] and states("running", 1, titles="Start") == []
