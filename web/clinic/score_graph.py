"""Score graphs (PHQ-9 and the like) as server-rendered, accessible inline SVG.

Pure Python and markupsafe: no plotting library and no script, so the graph works under the strict
CSP and without JavaScript. Every text and number is escaped. The SVG uses presentation attributes
(``fill``, ``stroke``, ``font-size``), which the CSP allows, never ``style`` attributes. The table
next to the graph (templates/clinic/_score_graph.html) carries the same data for those who cannot
see it; the view renders the graph and passes it to that partial.

``series`` has ``instrument_id``, ``title``, ``max_score``, ``bands`` (``(min, max, label)``, maybe
empty) and ``points`` (each with an aware ``at``, an int ``score`` and a ``label`` such as "Week 2",
already formatted by the caller). Points are drawn in time order, evenly spaced: labels stay
readable and a single point needs no special case.
"""
from __future__ import annotations

import math
import re

from flask_babel import gettext as _
from markupsafe import Markup

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 44, 150, 16, 64  # the right margin holds the band labels
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_TICKS = 8
ROTATE_LABELS_ABOVE = 6  # more points than this: slanted x labels so that they do not collide
LINE_COLOUR = "#005a9c"
AXIS_COLOUR = "#555"
BAND_FILLS = ("#eef4fa", "#ffffff")
BAND_LABEL_CHARACTERS = 20  # about what the right margin holds at 12 px
BAND_LINE_HEIGHT = 1.15  # em


def render(series) -> Markup:
    """Return ``<figure class="score-graph">`` with the SVG graph, or a sentence when there are no scores."""
    instrument = str(series.instrument_id)
    points = ordered_points(series)
    dom_id = _dom_id(instrument)
    caption = Markup('<figcaption id="{}-caption">{}</figcaption>').format(dom_id, series.title)
    if not points:
        body = Markup('<p class="score-graph-empty">{}</p>').format(_("No scores yet."))
    else:
        body = _scroll_region(_svg(series, points, dom_id), dom_id)
    return Markup('<figure class="score-graph" data-instrument="{}">{}{}</figure>').format(instrument, caption, body)


def _scroll_region(svg: Markup, dom_id: str) -> Markup:
    """The graph keeps a readable size (progress.css gives it a minimum width) and scrolls sideways
    on its own on a narrow screen, which WCAG 1.4.10 allows for graphs; the page itself does not.
    Focusable and named, so keyboard users can scroll it too (axe scrollable-region-focusable)."""
    return Markup('<div class="score-graph-scroll" role="region" tabindex="0" aria-labelledby="{}-caption">{}</div>'
                  ).format(dom_id, svg)


def ordered_points(series) -> list:
    """Time order; the table in _score_graph.html sorts the same way (stable, by ``at``)."""
    return sorted(series.points, key=lambda point: point.at)


def _svg(series, points, dom_id: str) -> Markup:
    maximum = max(int(series.max_score), 1)  # a zero maximum would divide by zero
    scale = _Scale(maximum, len(points))
    title_id, desc_id = f"{dom_id}-title", f"{dom_id}-desc"
    parts = [
        # Fonts as presentation attributes: the graph reads well even where progress.css is not loaded.
        Markup('<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{} {}" viewBox="0 0 {} {}" '
               'font-family="system-ui, sans-serif" font-size="12" fill="#1b1b1b">').format(
            title_id, desc_id, WIDTH, HEIGHT),
        Markup('<title id="{}">{}</title>').format(title_id, series.title),
        Markup('<desc id="{}">{}</desc>').format(desc_id, _summary(points)),
        *_bands(series.bands, scale, maximum),
        *_y_axis(scale, maximum),
        *_x_axis(points, scale),
        _line(points, scale),
        *_points(points, scale),
        Markup("</svg>"),
    ]
    return Markup("").join(parts)


class _Scale:
    def __init__(self, maximum: int, count: int):
        self.maximum, self.count = maximum, count

    def x(self, index: int) -> float:
        return round(LEFT + PLOT_WIDTH * (index + 0.5) / self.count, 1)

    def y(self, score: float) -> float:
        """Higher scores sit higher on screen (smaller y); scores outside 0..max stay on the plot."""
        clamped = min(max(score, 0), self.maximum)
        return round(TOP + PLOT_HEIGHT * (1 - clamped / self.maximum), 1)


def _summary(points) -> str:
    first, last = points[0], points[-1]
    if len(points) == 1:
        return _("One score: %(score)s (%(label)s).", score=first.score, label=first.label)
    return _("First score %(first)s (%(first_label)s), latest score %(last)s (%(last_label)s), "
             "%(count)s scores in all.", first=first.score, first_label=first.label, last=last.score,
             last_label=last.label, count=len(points))


def _bands(bands, scale: _Scale, maximum: int) -> list[Markup]:
    """Background bands; integer ranges such as 0–4 and 5–9 meet half way, at 4.5."""
    parts = []
    for number, (low, high, label) in enumerate(bands or ()):
        top, bottom = scale.y(min(high + 0.5, maximum)), scale.y(max(low - 0.5, 0))
        parts.append(Markup('<rect class="score-band" x="{}" y="{}" width="{}" height="{}" fill="{}"/>').format(
            LEFT, top, PLOT_WIDTH, round(bottom - top, 1), BAND_FILLS[number % 2]))
        parts.append(_band_label(label, LEFT + PLOT_WIDTH + 6, round((top + bottom) / 2, 1)))
    return parts


def _band_label(label: str, x: float, y: float) -> Markup:
    """A band's name in the right margin, in lines short enough for it (SVG text does not wrap):
    "Ingen eller mycket lindrig depression" would otherwise run off the graph's edge."""
    lines = band_label_lines(str(label))
    first = -(len(lines) - 1) * BAND_LINE_HEIGHT / 2  # the block of lines centred on the band
    spans = Markup("").join(
        Markup('<tspan x="{}" dy="{}em">{}</tspan>').format(x, round(first if n == 0 else BAND_LINE_HEIGHT, 2), line)
        for n, line in enumerate(lines))
    return Markup('<text class="score-band-label" x="{}" y="{}" dominant-baseline="middle">{}</text>').format(
        x, y, spans)


def band_label_lines(label: str) -> list[str]:
    """Words gathered into lines of at most BAND_LABEL_CHARACTERS (a longer word keeps its own line)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= BAND_LABEL_CHARACTERS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _y_axis(scale: _Scale, maximum: int) -> list[Markup]:
    parts = [Markup('<line class="score-axis" x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}"/>').format(
        LEFT, TOP, TOP + PLOT_HEIGHT, AXIS_COLOUR)]
    for tick in y_ticks(maximum):
        y = scale.y(tick)
        parts.append(Markup('<line class="score-tick" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>').format(
            LEFT - 5, y, LEFT, y, AXIS_COLOUR))
        parts.append(Markup('<text class="score-axis-label score-tick-label" x="{}" y="{}" text-anchor="end" '
                            'dominant-baseline="middle">{}</text>').format(LEFT - 8, y, tick))
    return parts


def y_ticks(maximum: int) -> list[int]:
    """0, a round step and the maximum itself, at most about MAX_TICKS of them."""
    step = _round_step(maximum / MAX_TICKS)
    ticks = list(range(0, maximum, step))
    if ticks and maximum - ticks[-1] < step / 2 and len(ticks) > 1:
        ticks.pop()  # too close to the maximum: the labels would overlap
    return ticks + [maximum]


def _round_step(raw: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50):
        if step >= raw:
            return step
    return int(10 ** math.ceil(math.log10(raw)))


def _x_axis(points, scale: _Scale) -> list[Markup]:
    baseline = TOP + PLOT_HEIGHT
    parts = [Markup('<line class="score-axis" x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="{3}"/>').format(
        LEFT, baseline, LEFT + PLOT_WIDTH, AXIS_COLOUR)]
    slanted = len(points) > ROTATE_LABELS_ABOVE
    for index, point in enumerate(points):
        x, y = scale.x(index), baseline + 18
        if slanted:
            parts.append(Markup('<text class="score-axis-label score-x-label" x="{0}" y="{1}" text-anchor="end" '
                                'transform="rotate(-35 {0} {1})">{2}</text>').format(x, y, point.label))
        else:
            parts.append(Markup('<text class="score-axis-label score-x-label" x="{}" y="{}" text-anchor="middle">'
                                '{}</text>').format(x, y, point.label))
    return parts


def _line(points, scale: _Scale) -> Markup:
    coordinates = " ".join(f"{scale.x(i)},{scale.y(p.score)}" for i, p in enumerate(points))
    return Markup('<polyline class="score-line" points="{}" fill="none" stroke="{}" stroke-width="2"/>').format(
        coordinates, LINE_COLOUR)


def _points(points, scale: _Scale) -> list[Markup]:
    parts = []
    for index, point in enumerate(points):
        x, y = scale.x(index), scale.y(point.score)
        parts.append(Markup('<circle class="score-point" data-score="{}" cx="{}" cy="{}" r="5" fill="{}" '
                            'stroke="#fff" stroke-width="2"><title>{}: {}</title></circle>').format(
            int(point.score), x, y, LINE_COLOUR, point.label, int(point.score)))
        parts.append(Markup('<text class="score-value" x="{}" y="{}" text-anchor="middle" font-weight="600">'
                            '{}</text>').format(x, round(y - 10, 1), int(point.score)))
    return parts


def _dom_id(instrument: str) -> str:
    """An id attribute built from the instrument id: only safe characters are kept."""
    return "score-graph-" + (re.sub(r"[^A-Za-z0-9_-]", "-", instrument) or "instrument")
