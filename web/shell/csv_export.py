"""Every CSV file the platform hands out, written one way: UTF-8 with a byte order mark (so
spreadsheet programs read å, ä, ö), and every text cell that a spreadsheet would run as a formula
(it starts with = + - @, a tab or a carriage return) prefixed with an apostrophe (CSV injection:
a program name or a log detail is text somebody else typed)."""
from __future__ import annotations

import csv
import io

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """The value as a spreadsheet must show it: numbers as they are, formula-like text quoted."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header, rows) -> str:
    """The CSV text of ``header`` and ``rows``, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell(name) for name in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return "\ufeff" + out.getvalue()


def csv_response(header, rows, filename: str) -> Response:
    """A CSV download of ``header`` and ``rows``, built before the request commits."""
    return Response(csv_text(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
