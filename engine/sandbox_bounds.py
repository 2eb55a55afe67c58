"""Size bounds for designer logic, checked before anything large is built.

simpleeval bounds a string's length after formatting it and a list's length without looking
inside it, so ``f'{1:>2000000000}'``, ``str([[0]*99999]*99999)`` or ``9**5000`` saved into state
could burn seconds and gigabytes between two of the evaluator's time checks. Here every value an
expression builds is measured in *cells* (a number or other scalar is one cell, a text one cell per
character, a list, tuple or dict one cell plus its contents, counted again wherever a value is
shared) and refused before it is built when it would pass ``MAX_CELLS``; one evaluation may build
at most ``MAX_BUILT_CELLS`` in all; numbers stay within ±``MAX_NUMBER`` so they can always be saved
and read back; a format width or precision is at most ``MAX_FORMAT_WIDTH``.
"""
from __future__ import annotations

import math
import operator
import re
from datetime import timedelta

import simpleeval

MAX_CELLS = 100_000
MAX_BUILT_CELLS = 1_000_000
MAX_NUMBER = 10**15
MAX_FORMAT_WIDTH = 100
# How far ahead a timer may wait: longer than any program or retention period, far short of year 9999.
MAX_TIMER_SPAN = timedelta(days=20 * 365)
SEQUENCES = (str, list, tuple, dict)


# simpleeval's own error types, so the evaluator reports them like its built-in bounds.
TooLarge = simpleeval.IterableTooLong
NumberTooLarge = simpleeval.NumberTooHigh


def cells(value, limit: int = MAX_CELLS) -> int:
    """The size of ``value`` in cells, or ``limit + 1`` as soon as it is known to be larger."""
    total, pending = 0, [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            total += max(1, len(item))
        elif isinstance(item, dict):
            total += 1
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            total += 1
            pending.extend(item)
        else:
            total += 1
        if total > limit:
            return limit + 1
    return total


def check_cells(value):
    """Return ``value`` when it is within ``MAX_CELLS``; refuse it otherwise."""
    if isinstance(value, SEQUENCES) and cells(value) > MAX_CELLS:
        raise TooLarge(f"a value with more than {MAX_CELLS} elements or characters is not allowed")
    return value


def check_number(value):
    """Return ``value`` when it is a number the platform can save; refuse it otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise NumberTooLarge("the result is not a finite number")
    if abs(value) > MAX_NUMBER:
        raise NumberTooLarge(f"a number larger than {MAX_NUMBER:.0e} is not allowed")
    return value


class Budget:
    """What one evaluation has built so far, in cells."""

    def __init__(self):
        self.built = 0

    def charge(self, value):
        """Count a newly built value against the evaluation's total; refuse past the total."""
        if isinstance(value, SEQUENCES):
            self.built += cells(value, MAX_BUILT_CELLS)
            if self.built > MAX_BUILT_CELLS:
                raise TooLarge(f"the expression builds more than {MAX_BUILT_CELLS} elements or characters")
        return value

    def operators(self) -> dict:
        """simpleeval's operator table with every arithmetic operator bounded."""
        table = dict(simpleeval.DEFAULT_OPERATORS)
        table.update({
            _ast("Add"): self._add, _ast("Mult"): self._mult, _ast("Pow"): _power, _ast("Mod"): _modulo,
            _ast("Sub"): _numeric(operator.sub), _ast("Div"): _numeric(operator.truediv),
            _ast("FloorDiv"): _numeric(operator.floordiv), _ast("USub"): _numeric(operator.neg),
        })
        return table

    def _add(self, a, b):
        if isinstance(a, SEQUENCES) and isinstance(b, SEQUENCES):
            if cells(a) + cells(b) > MAX_CELLS:
                raise TooLarge(f"joining these would make more than {MAX_CELLS} elements or characters")
            return self.charge(a + b)
        return check_number(simpleeval.safe_add(a, b))

    def _mult(self, a, b):
        sequence, times = (a, b) if isinstance(a, SEQUENCES) else (b, a)
        if isinstance(sequence, SEQUENCES) and isinstance(times, int):
            if max(times, 0) * cells(sequence) > MAX_CELLS:
                raise TooLarge(f"repeating this would make more than {MAX_CELLS} elements or characters")
            return self.charge(sequence * times)
        return check_number(simpleeval.safe_mult(a, b))


def _ast(name):
    import ast
    return getattr(ast, name)


def _numeric(function):
    def bounded(*args):
        return check_number(function(*args))
    return bounded


def _power(base, exponent):
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        # The result has exponent × log2(base) bits: refuse before computing it.
        if abs(exponent) > simpleeval.MAX_POWER or exponent * math.log2(abs(base)) > math.log2(MAX_NUMBER) + 1:
            raise NumberTooLarge(f"Sorry! I don't want to evaluate {base} ** {exponent}: "
                                 f"the result would be larger than {MAX_NUMBER:.0e}")
    return check_number(simpleeval.safe_power(base, exponent))


def _modulo(a, b):
    if isinstance(a, str):
        raise TooLarge("text formatting with % is not allowed; use an f-string")
    return check_number(operator.mod(a, b))


_SPEC_NUMBER = re.compile(r"\d+")


def check_format_spec(spec: str) -> str:
    """Refuse a format specification whose width or precision would build a huge text."""
    if any(int(digits) > MAX_FORMAT_WIDTH for digits in _SPEC_NUMBER.findall(spec)):
        raise TooLarge(f"a format width or precision over {MAX_FORMAT_WIDTH} is not allowed")
    return spec


def bounded_sum(values, start=0):
    """``sum`` for numbers only: adding lists or texts with it would build values quadratically."""
    if not isinstance(start, (int, float)):
        raise TooLarge("sum adds numbers only")
    total = start
    for value in check_cells(list(values)):
        if not isinstance(value, (int, float)):  # True counts as 1: sum of answers over a threshold
            raise TooLarge("sum adds numbers only")
        total = check_number(total + value)
    return total
