"""``duration()`` writes what SpiffWorkflow's timers take: weeks alone as W, weeks beside other
parts as days (it refuses "P2W3D" and "P1WT1H")."""
from __future__ import annotations

import pytest

from engine import timers_iso
from engine.sandbox_functions import duration


@pytest.mark.parametrize("kwargs, iso", [
    ({"weeks": 2}, "P2W"), ({"weeks": 2, "days": 3}, "P17D"), ({"weeks": 1, "hours": 1}, "P7DT1H"),
    ({"days": 3}, "P3D"), ({}, "P0D"),
])
def test_duration_writes_iso_the_timers_accept(kwargs, iso):
    assert duration(**kwargs) == iso
    assert timers_iso.check_timer("timeDuration", iso) == []  # the engine's own timer check takes it
