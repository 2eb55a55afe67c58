"""Designer-written instructions (Markdown) as safe HTML: a small subset – headings, bullet
lists, paragraphs, **bold** – built from escaped text, so no designer HTML ever reaches a page.
Placeholders like ``{{ name }}`` are shown as written; filling them is the task screens' next step."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def render(text: str) -> Markup:
    blocks, items = [], []
    for raw in (text or "").splitlines() + [""]:
        line = raw.strip()
        if line.startswith(("- ", "* ")):
            items.append(_inline(line[2:]))
            continue
        if items:
            blocks.append(Markup("<ul>") + Markup("").join(Markup("<li>") + i + Markup("</li>") for i in items)
                          + Markup("</ul>"))
            items = []
        if line.startswith("#"):
            blocks.append(Markup("<h2>") + _inline(line.lstrip("#").strip()) + Markup("</h2>"))
        elif line:
            blocks.append(Markup("<p>") + _inline(line) + Markup("</p>"))
    return Markup("\n").join(blocks)


def _inline(text: str) -> Markup:
    escaped = str(escape(text))
    return Markup(_BOLD.sub(r"<strong>\1</strong>", escaped))
