"""How each environment variable's text becomes a typed value, or a ``SettingsError`` that names
the variable: the parsers ``VARIABLES`` (settings/__init__.py) refers to. Standard library only."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Callable

PREFIX = "VARDFLODE_"


class SettingsError(ValueError):
    """A variable has a value the platform cannot run with."""


def _text(name: str, raw: str) -> str:
    return raw


def _optional(name: str, raw: str) -> str | None:
    return raw or None


def _choice(*options: str) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        if raw not in options:
            raise SettingsError(f"{PREFIX}{name} must be one of {', '.join(options)}, not {raw!r}")
        return raw
    return parse


def _seconds(name: str, raw: str) -> timedelta:
    try:
        seconds = float(raw)
    except ValueError:
        raise SettingsError(f"{PREFIX}{name} must be a number of seconds, not {raw!r}") from None
    if not 0 < seconds < float("inf"):
        raise SettingsError(f"{PREFIX}{name} must be more than 0 seconds, not {raw!r}")
    return timedelta(seconds=seconds)


def _port(name: str, raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise SettingsError(f"{PREFIX}{name} must be a port number (1-65535), not {raw!r}")
    return port


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        raise SettingsError(f"{PREFIX}{name} must be 1 or 0, not {raw!r}")
    return value in ("1", "true", "yes", "on")


def _path(name: str, raw: str) -> Path:
    return Path(raw)


def _timeout(name: str, raw: str) -> float:
    return _seconds(name, raw).total_seconds()


def _https_url(name: str, raw: str) -> str:
    if not raw.startswith("https://") or any(c.isspace() or c in "<>\"'" for c in raw) or len(raw) > 500:
        raise SettingsError(f"{PREFIX}{name} must be an https:// address")
    return raw


def _public_url(name: str, raw: str) -> str:
    """The platform's own address, scheme and host (and a path prefix, if it is served under one)."""
    if not raw.startswith(("https://", "http://")) or any(c.isspace() or c in "<>\"'?#" for c in raw) or len(raw) > 200:
        raise SettingsError(f"{PREFIX}{name} must be the platform's address, e.g. https://vardflode.example.se")
    return raw.rstrip("/")


def _http_url(name: str, raw: str) -> str:
    if not raw.startswith(("https://", "http://")) or any(c.isspace() or c in "<>\"'" for c in raw) or len(raw) > 500:
        raise SettingsError(f"{PREFIX}{name} must be an http:// or https:// address")
    return raw.rstrip("/")


def _megabytes(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= 100:
        raise SettingsError(f"{PREFIX}{name} must be a whole number of megabytes from 1 to 100")
    return value * 1024 * 1024


_CONSEQUENCES = ("death", "serious_deterioration", "could_have_led_to", "no_harm")
_ISO_DURATION = re.compile(r"^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")


def _deadlines(name: str, raw: str) -> dict:
    """``consequence=triage/agency,...``: per consequence, how long triage and the report to
    Läkemedelsverket may wait before a reminder (ISO 8601 durations)."""
    found = {}
    for part in raw.split(","):
        key, _, value = part.strip().partition("=")
        triage, _, agency = value.partition("/")
        if key not in _CONSEQUENCES or not _ISO_DURATION.match(triage) or not _ISO_DURATION.match(agency):
            raise SettingsError(f"{PREFIX}{name}: '{part.strip()}' is not consequence=triage/agency with ISO durations")
        found[key] = (triage, agency)
    missing = [c for c in _CONSEQUENCES if c not in found]
    if missing:
        raise SettingsError(f"{PREFIX}{name} has no deadlines for {', '.join(missing)}")
    return found


def _whole(low: int, high: int, unit: str) -> Callable[[str, str], int]:
    def parse(name: str, raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise SettingsError(f"{PREFIX}{name} must be a whole number of {unit} from {low} to {high}, not {raw!r}")
        return value
    return parse


def _database_url(name: str, raw: str) -> str:
    # Plain postgresql:// as operators write it; SQLAlchemy needs the psycopg 3 driver named.
    return raw.replace("postgresql://", "postgresql+psycopg://", 1) if raw.startswith("postgresql://") else raw
