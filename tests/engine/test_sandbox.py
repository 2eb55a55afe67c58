"""The restricted evaluator at run time: what designers can do, and what stays out of reach."""
from __future__ import annotations

import pytest

from engine import sandbox
from engine.errors import SandboxError


@pytest.mark.parametrize("expression, names, expected", [
    ("sum([phq1, phq2]) >= 3", {"phq1": 2, "phq2": 1}, True),
    ("count_at_least(answers, 2)", {"answers": [0, 2, 3, None]}, 2),
    ("'hög' if total >= 20 else 'låg'", {"total": 21}, "hög"),
    ("answers.get('q9', 0) > 0", {"answers": {"q9": 1}}, True),
    ("duration(days=7)", {}, "P7D"),
    ("duration(hours=1, minutes=30)", {}, "PT1H30M"),
    ("duration(weeks=2)", {}, "P2W"),
    ("days_between('2026-01-01', '2026-01-31')", {}, 30),
    ("f'Modul {nr}'", {"nr": 2}, "Modul 2"),
])
def test_designers_get_plain_expressions(expression, names, expected):
    assert sandbox.evaluate(expression, names) == expected


def test_scripts_assign_names_in_order():
    data = {"a": 1}
    sandbox.execute("b = a + 1\nb += 10\nsevere = b > 5", data)
    assert data == {"a": 1, "b": 12, "severe": True}


@pytest.mark.parametrize("expression, reason", [
    ("'a' * 10 ** 6", "IterableTooLong"),
    ("10 ** 10 ** 8", "Sorry! I don't want to evaluate"),
    ("[x for x in big]", "too"),
    ("missing + 1", "'missing' has no value"),
    ("_hidden", "names starting with '_'"),
    ("hidden_fn()", "'hidden_fn' is not an allowed function"),
])
def test_runaway_or_forbidden_expressions_fail_cleanly(expression, reason):
    with pytest.raises(SandboxError) as err:
        sandbox.evaluate(expression, {"big": list(range(200_000)), "_hidden": 1})
    assert reason.lower() in str(err.value).lower()


def test_private_and_callable_names_are_invisible():
    with pytest.raises(SandboxError):
        sandbox.evaluate("secret", {"secret": print})


def test_a_failing_script_line_is_named():
    with pytest.raises(SandboxError) as err:
        sandbox.execute("a = 1\nb = a / 0", {})
    assert err.value.line == 2
