"""Swedish personnummer and samordningsnummer: format, date and Luhn check digit."""
from __future__ import annotations

import re
from datetime import date

_PATTERN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})$")


class InvalidPersonnummer(ValueError):
    """Why a personnummer was refused: ``code`` for the web layer to word in the visitor's
    language (web.shell.refusals), the English message for logs and tests."""

    MESSAGES = {
        "missing": "no personnummer was given",
        "format": "write the personnummer as ÅÅÅÅMMDD-NNNN",
        "too_short": "the personnummer is too short",
        "too_long": "the personnummer is too long",
        "not_a_date": "the date part is not a real date",
        "coordination_not_a_date": "the date part of the samordningsnummer (day + 60) is not a real date",
        "check_digit": "the check digit does not match",
    }

    def __init__(self, code: str):
        super().__init__(self.MESSAGES[code])
        self.code = code


def normalize(text: str, today: date | None = None) -> str:
    """``YYYYMMDDNNNN`` from any common way of writing it, or InvalidPersonnummer saying what is wrong."""
    written = (text or "").strip().replace(" ", "")
    if not written:
        raise InvalidPersonnummer("missing")
    if re.fullmatch(r"[0-9]+([-+][0-9]+)?", written):
        count = sum(char.isdigit() for char in written)
        if count == 11:  # a century first means a digit is missing, else one too many
            raise InvalidPersonnummer("too_short" if written.startswith(("19", "20")) else "too_long")
        if count < 10 or count > 12:
            raise InvalidPersonnummer("too_short" if count < 10 else "too_long")
    match = _PATTERN.match(written)
    if not match:
        raise InvalidPersonnummer("format")
    century, yy, mm, dd, tail = match.groups()
    if century is None:
        today = today or date.today()
        century_value = (today.year // 100) if int(yy) <= today.year % 100 else (today.year // 100 - 1)
        if "+" in written:  # a plus sign means 100 years or older
            century_value -= 1
        century = f"{century_value:02d}"
    digits = f"{century}{yy}{mm}{dd}{tail}"
    birth_date(digits)  # raises when the date is impossible
    if not _luhn_ok(digits[2:]):
        raise InvalidPersonnummer("check_digit")
    return digits


def birth_date(digits: str) -> date:
    day = int(digits[6:8])
    coordination = day > 60
    if coordination:  # samordningsnummer: day + 60
        day -= 60
    try:
        return date(int(digits[0:4]), int(digits[4:6]), day)
    except ValueError:
        raise InvalidPersonnummer("coordination_not_a_date" if coordination else "not_a_date") from None


def is_samordningsnummer(digits: str) -> bool:
    return int(digits[6:8]) > 60


def formatted(digits: str) -> str:
    return f"{digits[:8]}-{digits[8:]}"


def masked(digits: str) -> str:
    """For lists: the birth date only."""
    return f"{digits[:8]}-****"


def _luhn_ok(ten_digits: str) -> bool:
    total = 0
    for index, char in enumerate(ten_digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0
