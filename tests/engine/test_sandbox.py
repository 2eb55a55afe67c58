"""The restricted evaluator at run time: what designers can do, and what stays out of reach."""
from __future__ import annotations

import time

import pytest

from engine import sandbox, sandbox_functions
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


def _burns_cpu():
    end = time.thread_time() + sandbox.MAX_EVAL_SECONDS * 1.5
    while time.thread_time() < end:
        pass
    return 1


def test_an_expression_that_computes_too_long_is_stopped(monkeypatch):
    """The comprehension and size bounds stop most runaway work; the time bound is the backstop
    (here a helper that computes longer than the whole bound)."""
    monkeypatch.setitem(sandbox_functions.FUNCTIONS, "burns", _burns_cpu)
    with pytest.raises(SandboxError) as err:
        sandbox.evaluate("burns() + sum(1 for x in many)", {"many": list(range(200))})
    assert "took too long" in str(err.value)


def test_time_the_thread_spends_waiting_does_not_count_against_an_expression(monkeypatch):
    """The bound is CPU time: a busy machine (here: a helper that waits longer than the whole
    bound) must not turn a sound expression into an incident in someone's program."""
    monkeypatch.setitem(sandbox_functions.FUNCTIONS, "waits", lambda: time.sleep(sandbox.MAX_EVAL_SECONDS * 1.5) or 1)
    assert sandbox.evaluate("waits() + sum(1 for x in many)", {"many": list(range(200))}) == 201


def test_a_script_may_assign_a_helpers_name_and_later_expressions_read_the_number():
    # Given answers q1 and q2, When a script writes score (the instrument helper's name) and sum
    data = {"q1": 2, "q2": 3}
    sandbox.register_data_function("score", lambda data, instrument: {"total": 0})
    sandbox.execute("score = q1 + q2\nsum = score * 2", data)
    # Then the data shadows the helpers in this instance's expressions
    assert data == {"q1": 2, "q2": 3, "score": 5, "sum": 10}
    assert sandbox.evaluate("score >= 5 and sum == 10", data) is True
    assert sandbox.evaluate("max(score, 1)", data) == 5  # other helpers are still there


def test_a_helper_shadowed_by_data_cannot_be_called():
    with pytest.raises(SandboxError) as err:
        sandbox.evaluate("sum([1, 2])", {"sum": 3})
    assert "'sum' is data in this instance" in str(err.value)
    assert sandbox.evaluate("sum([1, 2])", {}) == 3  # without the data the helper works


@pytest.mark.parametrize("expression", [
    "sum.__class__", "sum.__globals__", "len.__self__", "today.__code__", "sum.real",
])
def test_shadowing_gives_no_way_past_the_attribute_allowlist(expression):
    with pytest.raises(SandboxError):
        sandbox.evaluate(expression, {"sum": 3, "len": [1], "today": "2026-01-01"})


def test_private_and_callable_names_are_invisible():
    with pytest.raises(SandboxError):
        sandbox.evaluate("secret", {"secret": print})


def test_a_failing_script_line_is_named():
    with pytest.raises(SandboxError) as err:
        sandbox.execute("a = 1\nb = a / 0", {})
    assert err.value.line == 2


# What a fuzzer found: each passed validation and then burned seconds of CPU or gigabytes of memory
# between two of the evaluator's time checks. Each must be refused before it is built.
@pytest.mark.timeout(10)
@pytest.mark.parametrize("expression, reason", [
    ("f'{1:>2000000000}'", "format width"),
    ("sorted([[0]*99999]*99999)", "more than 100000"),
    ("str([[0]*99999]*99999)", "more than 100000"),
    ("sum([[0]*99999]*300, [])", "more than 100000"),
    ("9**5000", "larger than"),
    ("[[0] * 99999 for x in many]", "more than 100000"),
    ("[big, big, big, big, big]", "more than 100000"),
    ("[text.upper() for x in many]", "more than 1000000"),
    ("'%2000000000d' % 1", "use an f-string"),
    ("float('1e308') * 10", "larger than"),
])
def test_expressions_that_would_build_huge_values_are_refused_before_they_are_built(expression, reason):
    with pytest.raises(SandboxError) as err:
        sandbox.evaluate(expression, {"many": list(range(10_000)), "big": [0] * 99_990, "text": "a" * 99_999})
    assert reason in str(err.value)


@pytest.mark.parametrize("expression, expected", [
    ("2 ** 49", 2 ** 49),
    ("sum([q1 >= 2, q2 >= 2, q3 >= 2])", 2),
    ("f'{mean:.1f} av {top:>3}'", "2.5 av  27"),
    ("len([0] * 50000)", 50000),
    ("[0] * 3 + [1]", [0, 0, 0, 1]),
])
def test_ordinary_arithmetic_stays_within_the_bounds(expression, expected):
    assert sandbox.evaluate(expression, {"q1": 2, "q2": 3, "q3": 0, "mean": 2.5, "top": 27}) == expected


@pytest.mark.timeout(10)
def test_a_script_cannot_grow_a_value_line_by_line():
    with pytest.raises(SandboxError) as err:
        sandbox.execute("x = 'a' * 60000\nx += x", {})
    assert err.value.line == 2 and "more than 100000" in str(err.value)


def test_numbers_saved_by_a_script_can_always_be_saved_and_read_back():
    with pytest.raises(SandboxError) as err:
        sandbox.execute("ok = 1\nbig = 9 ** 20", {})
    assert err.value.line == 2
