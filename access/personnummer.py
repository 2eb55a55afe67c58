"""Swedish personnummer and samordningsnummer: format, date and Luhn check digit."""
from __future__ import annotations

import re
from datetime import date

_PATTERN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})$")


class InvalidPersonnummer(ValueError):
    pass


def normalize(text: str, today: date | None = None) -> str:
    """``YYYYMMDDNNNN`` from any common way of writing it, or InvalidPersonnummer."""
    match = _PATTERN.match((text or "").strip().replace(" ", ""))
    if not match:
        raise InvalidPersonnummer("write the personnummer as ÅÅÅÅMMDD-NNNN")
    century, yy, mm, dd, tail = match.groups()
    if century is None:
        today = today or date.today()
        century_value = (today.year // 100) if int(yy) <= today.year % 100 else (today.year // 100 - 1)
        if "+" in text:  # a plus sign means 100 years or older
            century_value -= 1
        century = f"{century_value:02d}"
    digits = f"{century}{yy}{mm}{dd}{tail}"
    if not _luhn_ok(digits[2:]):
        raise InvalidPersonnummer("the check digit does not match")
    birth_date(digits)  # raises when the date is impossible
    return digits


def birth_date(digits: str) -> date:
    day = int(digits[6:8])
    if day > 60:  # samordningsnummer: day + 60
        day -= 60
    try:
        return date(int(digits[0:4]), int(digits[4:6]), day)
    except ValueError:
        raise InvalidPersonnummer("the date part is not a real date") from None


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
