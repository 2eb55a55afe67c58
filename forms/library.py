"""The built-in instrument library: forms any program may use without shipping them."""
from __future__ import annotations

from pathlib import Path

INSTRUMENTS = Path(__file__).resolve().parent / "instruments"


def builtin_form_names() -> frozenset[str]:
    return frozenset(p.name for p in INSTRUMENTS.glob("*.form"))


def builtin_form(name: str) -> bytes:
    path = INSTRUMENTS / name
    if path.parent != INSTRUMENTS or not path.is_file():
        raise FileNotFoundError(name)
    return path.read_bytes()
