"""Designer-written instructions and module pages (Markdown) as safe HTML.

A strict subset, built piece by piece from escaped text, so no designer HTML ever reaches a page:

- ``#``/``##`` headings (shown as h2, ``###`` and deeper as h3), paragraphs (lines in a row make one
  paragraph), ``- ``/``* `` bullet lists and ``1. `` numbered lists (an indented line continues an
  item);
- ``**bold**``, ``*emphasis*`` and links ``[text](https://…)``: https only, with
  ``rel="noopener noreferrer"`` so the task's address never leaks to the other site; anything else
  is shown as its text, without a link. Audio and video are links too (say so in the link text);
- ``{{ name }}``: a value of the task's data. Only text, numbers and yes/no are filled in, escaped
  and never read as Markdown (a resident's own answer cannot turn into a link on a clinician's
  screen); an unknown name, or a list or mapping, stays visible as written;
- a line ``{{ text: name }}``: the package's text file ``texts/<value of name>.md``, e.g. the module
  page the program chose (``module_page = f"module_{module_nr}"``). Texts do not include texts;
- a line ``![alt text](media/picture.png)``: a picture of the package (png, jpeg, webp). The alt
  text is required; without it, or for any other address, the line is shown as text.

Nothing here is evaluated: a placeholder is a name looked up in a dict, never an expression.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from markupsafe import Markup, escape

import engine
from web.programs import media as program_media

NAME = r"[A-Za-z][A-Za-z0-9_]{0,63}"
_PLACEHOLDER = re.compile(r"\{\{\s*(" + NAME + r")\s*\}\}")
_TEXT_LINE = re.compile(r"^\{\{\s*text:\s*(" + NAME + r")\s*\}\}$")
_IMAGE_LINE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)$")
_MEDIA_NAME = re.compile(r"^media/[A-Za-z0-9][A-Za-z0-9_-]{0,80}\.(?:png|jpe?g|webp)$")
_TEXT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")
_SAFE_URL = re.compile(r"^https://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][^\s<>\"'`\\]*)?$")
_INLINE = re.compile(
    r"\{\{\s*(?P<name>" + NAME + r")\s*\}\}"          # a value of the task's data
    r"|\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]*)\)"    # a link
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
SCALARS = (str, int, float, bool)


class _Page:
    """What one rendering may use: the task's data, the package's texts and a picture address."""

    def __init__(self, data: Mapping | None, texts: Mapping | None, media_url: Callable[[str], str] | None):
        self.data = data or {}
        self.texts = texts or {}
        self.media_url = media_url

    def value(self, name: str) -> str | None:
        value = self.data.get(name) if not name.startswith("_") else None
        if not isinstance(value, SCALARS):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)


def for_task(details) -> Markup:
    """A task's instructions with its data and its package's texts filled in."""
    if not details.instructions:
        return Markup("")
    context = engine.task_context(details.task.id)
    if context is None:
        return render(details.instructions)
    return render(details.instructions, context.data, context.texts, program_media.media_url(context.version_hash))


def for_done_step(step) -> Markup:
    """A completed step's instructions as they were shown, filled from the data the step had."""
    context = step.context
    return render(step.instructions, context.data, context.texts, program_media.media_url(context.version_hash))


def render(text: str, data: Mapping | None = None, texts: Mapping | None = None,
           media_url: Callable[[str], str] | None = None) -> Markup:
    """``text`` as HTML. ``data``: the task's data for ``{{ name }}``; ``texts``: the package's
    texts by name (``texts/module_1.md`` → ``module_1``); ``media_url``: the address of a package
    picture (``media/x.png``), or None when pictures cannot be shown here."""
    page = _Page(data, texts, media_url)
    return Markup("\n").join(_blocks(text or "", page, include=True))


def _blocks(text: str, page: _Page, include: bool) -> list[Markup]:
    blocks: list[Markup] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def close_paragraph():
        if paragraph:
            blocks.append(_wrap("p", Markup(" ").join(_inline(line, page) for line in paragraph)))
            paragraph.clear()

    def close_list():
        nonlocal list_tag
        if items:
            body = Markup("").join(_wrap("li", _inline(item, page)) for item in items)
            blocks.append(_wrap(list_tag, body))
            items.clear()
        list_tag = ""

    for raw in text.splitlines():
        line = raw.strip()
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if bullet or numbered:
            tag = "ul" if bullet else "ol"
            close_paragraph()
            if list_tag and list_tag != tag:
                close_list()
            list_tag = tag
            items.append((bullet or numbered).group(1))
            continue
        if items and line and raw[:1].isspace():  # an indented line continues the list item
            items[-1] += " " + line
            continue
        close_list()
        if not line:
            close_paragraph()
            continue
        special = _special_line(line, page, include)
        if special is not None:
            close_paragraph()
            blocks.extend(special)
        else:
            paragraph.append(line)
    close_paragraph()
    close_list()
    return blocks


def _special_line(line: str, page: _Page, include: bool) -> list[Markup] | None:
    """A heading, an included text or a picture; None for an ordinary line of a paragraph."""
    heading = _HEADING.match(line)
    if heading:
        return [_wrap("h2" if len(heading.group(1)) <= 2 else "h3", _inline(heading.group(2), page))]
    included = _TEXT_LINE.match(line)
    if included and include:
        name = page.value(included.group(1))
        body = page.texts.get(name) if name and _TEXT_NAME.match(name) else None
        if body is not None:
            return _blocks(body, page, include=False)
        return None
    image = _IMAGE_LINE.match(line)
    if image and page.media_url is not None:
        alt, path = image.group(1).strip(), image.group(2)
        if alt and _MEDIA_NAME.match(path):
            return [Markup('<p class="media"><img src="{}" alt="{}"></p>').format(page.media_url(path), alt)]
    return None


def _inline(text: str, page: _Page) -> Markup:
    out, last = [], 0
    for match in _INLINE.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(_inline_piece(match, page))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _inline_piece(match: re.Match, page: _Page) -> Markup:
    if match.group("name"):
        value = page.value(match.group("name"))
        return escape(match.group(0) if value is None else value)
    if match.group("label") is not None:
        label, url = match.group("label"), match.group("url")
        if _SAFE_URL.match(url):
            return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(url, _inline(label, page))
        return _inline(label, page)  # not a safe address: the words stay, the link goes
    if match.group("bold") is not None:
        return _wrap("strong", _inline(match.group("bold"), page))
    return _wrap("em", _inline(match.group("em"), page))


def _wrap(tag: str, body: Markup) -> Markup:
    return Markup(f"<{tag}>") + body + Markup(f"</{tag}>")
