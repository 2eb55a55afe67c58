"""Line diffs for the publisher's review: forms, texts, scenarios, each program.json field and
each expression, as rows a template can show with +/- and line numbers (difflib, never run)."""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

MAX_LINES = 400  # rows shown per diff; the rest are counted, so a huge form cannot swamp the page
CONTEXT = 3


@dataclass(frozen=True)
class DiffLine:
    sign: str  # "+" added, "-" removed, " " unchanged, "@" a gap between hunks
    text: str
    old_no: int | None = None
    new_no: int | None = None


@dataclass(frozen=True)
class TextDiff:
    """One changed piece: a file, a program.json field or an element's expression."""

    what: str  # "form", "text", "scenario", "program", "expression", "instructions"
    path: str  # the file
    status: str  # "added", "removed", "changed"
    lines: tuple
    field: str = ""  # the program.json field, or the expression's place (conditionExpression, script...)
    element_id: str = ""  # the element an expression or instruction belongs to
    left_out: int = 0  # rows not shown (MAX_LINES)


def line_diff(old: str | None, new: str | None) -> tuple[tuple, int]:
    """Rows of a unified diff of two texts (None: the text does not exist on that side)."""
    old_lines = [] if old is None else old.splitlines()
    new_lines = [] if new is None else new.splitlines()
    rows = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for number, group in enumerate(matcher.get_grouped_opcodes(CONTEXT)):
        if number:
            rows.append(DiffLine("@", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [DiffLine(" ", old_lines[i], i + 1, j1 + i - i1 + 1) for i in range(i1, i2)]
                continue
            rows += [DiffLine("-", old_lines[i], i + 1, None) for i in range(i1, i2)]
            rows += [DiffLine("+", new_lines[j], None, j + 1) for j in range(j1, j2)]
    return tuple(rows[:MAX_LINES]), max(0, len(rows) - MAX_LINES)


def file_diff(what: str, path: str, old: bytes | None, new: bytes | None) -> TextDiff:
    rows, left_out = line_diff(_text(old), _text(new))
    return TextDiff(what, path, _status(old, new), rows, left_out=left_out)


def program_diffs(old: bytes | None, new: bytes | None) -> list[TextDiff]:
    """One diff per program.json field that differs; the whole file when a side is not JSON."""
    old_meta, new_meta = read_json(old), read_json(new)
    if (old is not None and old_meta is None) or (new is not None and new_meta is None):
        return [file_diff("program", "program.json", old, new)] if old != new else []
    old_meta, new_meta = old_meta or {}, new_meta or {}
    found = []
    for key in sorted(set(old_meta) | set(new_meta)):
        before, after = old_meta.get(key, _MISSING), new_meta.get(key, _MISSING)
        if before != after:
            rows, left_out = line_diff(_pretty(before), _pretty(after))
            found.append(TextDiff("program", "program.json", _status(before, after, _MISSING), rows,
                                  field=key, left_out=left_out))
    return found


def piece_diff(what: str, path: str, element_id: str, place: str, old: str | None, new: str | None) -> TextDiff:
    rows, left_out = line_diff(old, new)
    return TextDiff(what, path, _status(old, new), rows, field=place, element_id=element_id, left_out=left_out)


_MISSING = object()


def _status(old, new, missing=None) -> str:
    return "added" if old is missing else "removed" if new is missing else "changed"


def _text(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", "replace")


def read_json(data: bytes | None):
    """A JSON object, or None when there is none or it is not one."""
    if data is None:
        return None
    try:
        value = json.loads(data)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _pretty(value) -> str | None:
    return None if value is _MISSING else json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
