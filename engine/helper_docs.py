"""One line in Swedish and English for each helper a designer's expression may call, for the list
the design tool shows beside every expression field. Which helpers exist is the sandbox's own
list (``sandbox_functions.FUNCTIONS`` and the functions registered at start-up); this module only
explains them, and a helper nobody has described is still listed, by its name."""
from __future__ import annotations

from dataclasses import dataclass

from engine.sandbox_functions import DATA_FUNCTIONS, FUNCTIONS


@dataclass(frozen=True)
class Helper:
    name: str
    call: str  # how it is called, e.g. "days_between(start, end)"
    sv: str
    en: str


_DESCRIBED: dict[str, tuple[str, str, str]] = {
    "len": ("len(x)", "Antalet tecken i en text eller saker i en lista.",
            "The number of characters in a text or items in a list."),
    "min": ("min(a, b, …)", "Det minsta av värdena (eller i en lista).", "The smallest of the values (or in a list)."),
    "max": ("max(a, b, …)", "Det största av värdena (eller i en lista).", "The largest of the values (or in a list)."),
    "sum": ("sum(list)", "Summan av en lista med tal.", "The sum of a list of numbers."),
    "abs": ("abs(x)", "Talet utan minustecken.", "The number without its sign."),
    "round": ("round(x, decimals)", "Avrundar ett tal, till så många decimaler som anges.",
              "Rounds a number, to as many decimals as given."),
    "int": ("int(x)", "Ett heltal av ett tal eller en text ('7' blir 7).", "A whole number from a number or text ('7' gives 7)."),
    "float": ("float(x)", "Ett decimaltal av ett tal eller en text.", "A decimal number from a number or text."),
    "str": ("str(x)", "Värdet som text.", "The value as text."),
    "bool": ("bool(x)", "Sant eller falskt: tomt, 0 och None är falskt.", "True or false: empty, 0 and None are false."),
    "any": ("any(list)", "Sant om något i listan är sant.", "True if anything in the list is true."),
    "all": ("all(list)", "Sant om allt i listan är sant.", "True if everything in the list is true."),
    "sorted": ("sorted(list)", "Listan sorterad, minst först.", "The list sorted, smallest first."),
    "floor": ("floor(x)", "Avrundar nedåt till ett heltal.", "Rounds down to a whole number."),
    "ceil": ("ceil(x)", "Avrundar uppåt till ett heltal.", "Rounds up to a whole number."),
    "duration": ("duration(weeks=0, days=0, hours=0, minutes=0, seconds=0)",
                 "En väntetid för en timer: duration(days=7) blir P7D.",
                 "A waiting time for a timer: duration(days=7) gives P7D."),
    "today": ("today()", "Dagens datum, t.ex. 2027-01-10.", "Today's date, e.g. 2027-01-10."),
    "working_days_later": ("working_days_later(days)",
                           "Tidpunkten så många arbetsdagar framåt, för en timers datum (helger och helgdagar räknas inte).",
                           "The time that many working days ahead, for a timer's date (weekends and holidays do not count)."),
    "days_between": ("days_between(start, end)", "Hela dagar från ett datum till ett annat.",
                     "Whole days from one date to another."),
    "count_at_least": ("count_at_least(values, threshold)",
                       "Hur många av värdena som är minst gränsen (t.ex. PHQ-9-frågor med 2 eller mer).",
                       "How many of the values are at least the threshold (e.g. PHQ-9 items scored 2 or more)."),
}


def describe_helper(name: str, call: str, sv: str, en: str) -> None:
    """Explain a helper registered with ``register_data_function`` (the engine cannot: it never
    imports the package that registers it)."""
    _DESCRIBED[name] = (call, sv, en)


def expression_helpers() -> tuple[Helper, ...]:
    """Every helper an expression may call today, in the sandbox's order, with its explanation."""
    names = list(FUNCTIONS) + [name for name in DATA_FUNCTIONS if name not in FUNCTIONS]
    return tuple(Helper(name, *_DESCRIBED.get(name, (f"{name}(…)", "", ""))) for name in names)
