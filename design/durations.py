"""Timer durations as designers say them, and back: "7 dagar", "2 veckor och 3 dagar", "1 timme 30
minuter" or "7 days" become the ISO 8601 the engine stores (P7D, P17D, PT1H30M); an ISO duration
or cycle becomes plain words in the page's language for the field's preview. Whether a value is
acceptable is the engine's to say (``engine.check_timer``); this only translates."""
from __future__ import annotations

import re

# ISO designator of each unit, in ISO order (the M of months and of minutes differ by the T).
_ORDER = ("years", "months", "weeks", "days", "hours", "minutes", "seconds")
_DESIGNATOR = {"years": "Y", "months": "M", "weeks": "W", "days": "D", "hours": "H", "minutes": "M", "seconds": "S"}
_UNIT_WORDS = {
    "years": ("år", "year", "years"),
    "months": ("månad", "månader", "mån", "month", "months"),
    "weeks": ("vecka", "veckor", "v", "week", "weeks", "wk", "wks"),
    "days": ("dag", "dagar", "dygn", "d", "day", "days"),
    "hours": ("timme", "timmar", "tim", "h", "hour", "hours", "hr", "hrs"),
    "minutes": ("minut", "minuter", "min", "minute", "minutes", "mins"),
    "seconds": ("sekund", "sekunder", "sek", "s", "second", "seconds", "sec", "secs"),
}
_UNITS = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}
_NUMBER_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
    "tio": 10, "elva": 11, "tolv": 12, "fjorton": 14, "tjugo": 20, "trettio": 30,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "twenty": 20,
    "thirty": 30,
}
_JOINS = {"och", "and", "+", "&"}
_MAX_NUMBER = 10_000_000  # the sandbox's duration() bound; the engine refuses spans over 20 years
_TOKEN = re.compile(r"\d+|[^\W\d]+|[+&]")
_ISO = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
_CYCLE = re.compile(r"^R(\d+)/(P[^/]+)$")

_NAMES = {
    "sv": {"years": ("år", "år"), "months": ("månad", "månader"), "weeks": ("vecka", "veckor"),
           "days": ("dag", "dagar"), "hours": ("timme", "timmar"), "minutes": ("minut", "minuter"),
           "seconds": ("sekund", "sekunder")},
    "en": {"years": ("year", "years"), "months": ("month", "months"), "weeks": ("week", "weeks"),
           "days": ("day", "days"), "hours": ("hour", "hours"), "minutes": ("minute", "minutes"),
           "seconds": ("second", "seconds")},
}
_AND = {"sv": "och", "en": "and"}
_NO_WAIT = {"sv": "ingen väntan", "en": "no wait"}
_TIMES = {"sv": ("gång", "gånger"), "en": ("time", "times")}
_APART = {"sv": "{count} {times} med {interval} emellan", "en": "{count} {times}, {interval} apart"}


def to_iso(text: str) -> str | None:
    """The ISO duration ``text`` says in words, or None when it is not a duration in words (ISO
    text, an expression or nonsense: the caller hands that to the engine as it is)."""
    tokens = _TOKEN.findall((text or "").casefold())
    if not tokens or len("".join(tokens)) > 200 or re.search(r"[^\w\s,.+&]", (text or "").casefold()):
        return None
    amounts: dict[str, int] = {}
    number = None
    for token in tokens:
        if token in _JOINS and number is None:
            continue
        if number is None:
            number = int(token) if token.isdigit() else _NUMBER_WORDS.get(token)
            if number is None or number > _MAX_NUMBER:
                return None
        else:
            unit = _UNITS.get(token)
            if unit is None or unit in amounts:
                return None
            amounts[unit], number = number, None
    if number is not None or not amounts:
        return None
    return _iso(amounts)


def _iso(amounts: dict[str, int]) -> str:
    # SpiffWorkflow refuses weeks beside years, months or days (P2W3D): count them as days.
    if amounts.get("weeks") and any(amounts.get(u) for u in ("years", "months", "days")):
        amounts = dict(amounts)
        amounts["days"] = amounts.get("days", 0) + 7 * amounts.pop("weeks")
    date = "".join(f"{amounts[u]}{_DESIGNATOR[u]}" for u in _ORDER[:4] if amounts.get(u))
    time = "".join(f"{amounts[u]}{_DESIGNATOR[u]}" for u in _ORDER[4:] if amounts.get(u))
    if not date and not time:
        return "P0D"
    return "P" + date + (f"T{time}" if time else "")


def describe(iso: str, language: str) -> str | None:
    """A whole-number ISO duration (``P2W``, ``PT1H30M``) in words, "2 veckor" or "2 weeks";
    None for anything else (a decimal, a date, an expression)."""
    match = _ISO.match((iso or "").strip().upper())
    if not match or (iso or "").strip().upper() in ("P", "PT"):
        return None
    names = _NAMES["en" if language == "en" else "sv"]
    parts = [f"{int(value)} {names[unit][int(value) != 1]}"
             for unit, value in zip(_ORDER, match.groups()) if value is not None and int(value)]
    if not parts:
        return _NO_WAIT["en" if language == "en" else "sv"]
    joined = ", ".join(parts[:-1]) + f" {_AND['en' if language == 'en' else 'sv']} " + parts[-1]
    return joined if len(parts) > 1 else parts[0]


def describe_cycle(iso: str, language: str) -> str | None:
    """A counted cycle (``R4/P1W``) in words: "4 gånger med 1 vecka emellan"; None otherwise."""
    match = _CYCLE.match((iso or "").strip().upper())
    interval = describe(match.group(2), language) if match else None
    if interval is None:
        return None
    lang = "en" if language == "en" else "sv"
    count = int(match.group(1))
    return _APART[lang].format(count=count, times=_TIMES[lang][count != 1], interval=interval)
