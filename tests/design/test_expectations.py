"""A scenario's ``_expect`` checks only what it knows; a key it does not know fails the scenario
instead of passing unchecked (``"completed": [...]`` once made a wrong scenario pass)."""
from __future__ import annotations

from design.driver import unmet_expectations


def test_an_unknown_expectation_fails_the_scenario_naming_the_key():
    unmet = unmet_expectations("no-instance-needed", {"status": "completed", "completed": ["review"]})
    assert unmet == ["'_expect' has no 'completed'; it checks status, end, reached, not_reached and times"]
