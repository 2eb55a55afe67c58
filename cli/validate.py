"""``vardflode validate PATH…``: every problem as ``PATH: ELEMENT_ID: reason``; exit 1 if any."""
from __future__ import annotations

from pathlib import Path

from cli import packages


def main(paths: list[str]) -> int:
    failed = False
    for path in paths:
        problems = packages.problems_in(Path(path))
        for file, element, reason in problems:
            print(f"{file}: {element}: {reason}")
        if problems:
            failed = True
        else:
            print(f"{path}: OK")
    return 1 if failed else 0

