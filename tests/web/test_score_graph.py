"""Score graphs: the SVG a clinician sees (web/score_graph.py) and the table beside it
(templates/clinic/_score_graph.html) show the same scores, in time order, and never run text as markup."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
from flask import render_template_string

from web.clinic import score_graph
from web.shell.i18n import format_datetime

SVG = "{http://www.w3.org/2000/svg}"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
PHQ9_BANDS = [(0, 4, "Minimal"), (5, 9, "Mild"), (10, 14, "Moderate"), (15, 19, "Moderately severe"),
              (20, 27, "Severe")]


@dataclass
class Point:
    at: datetime
    score: int
    label: str
    occasion: str = ""


@dataclass
class Series:
    points: list
    bands: list = field(default_factory=lambda: list(PHQ9_BANDS))
    instrument_id: str = "phq9"
    title: str = "PHQ-9"
    max_score: int = 27


def weekly(*scores: int) -> list[Point]:
    return [Point(START + timedelta(weeks=n), score, f"W{n}", f"Week {n}") for n, score in enumerate(scores)]


@pytest.fixture()
def english(ctx):
    with ctx.test_request_context("/", headers={"Accept-Language": "en"}):
        yield


def figure(series) -> ET.Element:
    return ET.fromstring(str(score_graph.render(series)))


def circles(root) -> list[ET.Element]:
    return root.findall(f".//{SVG}circle[@class='score-point']")


def test_the_figure_follows_the_markup_contract(english):
    root = figure(Series(weekly(18, 12)))
    assert root.tag == "figure" and root.get("class") == "score-graph" and root.get("data-instrument") == "phq9"
    assert root.find("figcaption").text == "PHQ-9"
    # The graph sits in its own focusable, named scroll region: at 320 px it keeps its size.
    region = root.find("div")
    assert region.get("class") == "score-graph-scroll" and region.get("role") == "region"
    assert region.get("tabindex") == "0" and region.get("aria-labelledby") == root.find("figcaption").get("id")
    svg = region.find(f"{SVG}svg")
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "PHQ-9"
    assert "18" in desc.text and "12" in desc.text and "W0" in desc.text and "W1" in desc.text
    assert "style=" not in str(score_graph.render(Series(weekly(18, 12))))


def test_points_are_placed_in_time_order_and_higher_scores_sit_higher(english):
    points = weekly(9, 20, 3)
    root = figure(Series([points[2], points[0], points[1]]))  # given out of order
    drawn = circles(root)
    assert [c.get("data-score") for c in drawn] == ["9", "20", "3"]
    xs = [float(c.get("cx")) for c in drawn]
    assert xs == sorted(xs) and len(set(xs)) == 3
    y_of = {c.get("data-score"): float(c.get("cy")) for c in drawn}
    assert y_of["20"] < y_of["9"] < y_of["3"]
    line = root.find(f".//{SVG}polyline")
    assert line.get("points").split() == [f"{c.get('cx')},{c.get('cy')}" for c in drawn]
    labels = [t.text for t in root.iter(f"{SVG}text") if "score-x-label" in t.get("class", "")]
    assert labels == ["W0", "W1", "W2"]


def test_the_y_axis_runs_from_zero_to_the_maximum_and_the_extremes_sit_on_its_ends(english):
    root = figure(Series(weekly(0, 27)))
    ticks = [int(t.text) for t in root.iter(f"{SVG}text") if "score-tick-label" in t.get("class", "")]
    assert ticks[0] == 0 and ticks[-1] == 27 and ticks == sorted(ticks)
    tick_y = {int(t.text): float(t.get("y")) for t in root.iter(f"{SVG}text")
              if "score-tick-label" in t.get("class", "")}
    low, high = circles(root)
    assert float(low.get("cy")) == tick_y[0] and float(high.get("cy")) == tick_y[27]


def test_one_point_is_drawn_in_the_middle(english):
    root = figure(Series(weekly(14)))
    [point] = circles(root)
    assert point.get("data-score") == "14"
    assert float(point.get("cx")) == pytest.approx(score_graph.LEFT + score_graph.PLOT_WIDTH / 2)
    assert "14" in root.find(f".//{SVG}desc").text


def test_no_points_give_a_sentence_instead_of_a_graph(english):
    html = str(score_graph.render(Series([])))
    assert "No scores yet." in html and "<svg" not in html and 'data-instrument="phq9"' in html


def test_a_hostile_label_title_and_band_stay_text(english):
    hostile = '<script>alert("x")</script>'
    series = Series([Point(START, 5, hostile)], bands=[(0, 27, hostile)], title=hostile,
                    instrument_id='phq9"><b')
    html = str(score_graph.render(series))
    assert "<script" not in html and "<b" not in html
    root = ET.fromstring(html)  # still well-formed
    assert root.find("figcaption").text == hostile
    assert root.get("data-instrument") == 'phq9"><b'
    assert hostile in root.find(f".//{SVG}desc").text


def test_band_labels_are_shown_beside_their_bands(english):
    root = figure(Series(weekly(3, 22)))
    labels = {" ".join(t.itertext()): float(t.get("y")) for t in root.iter(f"{SVG}text")
              if t.get("class") == "score-band-label"}
    assert list(labels) == [label for _, _, label in PHQ9_BANDS]
    assert labels["Severe"] < labels["Moderate"] < labels["Minimal"]  # higher scores, higher up
    assert len(root.findall(f".//{SVG}rect[@class='score-band']")) == len(PHQ9_BANDS)


def test_a_long_band_label_is_wrapped_to_fit_the_margin(english):
    long = "Ingen eller mycket lindrig depression"
    root = figure(Series(weekly(3), bands=[(0, 27, long)]))
    [label] = [t for t in root.iter(f"{SVG}text") if t.get("class") == "score-band-label"]
    lines = [span.text for span in label.iter(f"{SVG}tspan")]
    assert " ".join(lines) == long and len(lines) == 2
    assert all(len(line) <= score_graph.BAND_LABEL_CHARACTERS for line in lines)


def test_no_bands_draw_no_band_labels(english):
    root = figure(Series(weekly(3, 22), bands=[]))
    assert root.findall(f".//{SVG}rect[@class='score-band']") == []
    assert len(circles(root)) == 2


def test_the_table_has_one_row_per_point_in_the_graphs_order(english):
    points = weekly(17, 11, 4)
    series = Series([points[1], points[2], points[0]])
    html = _render_partial(series)
    table = ET.fromstring(html).find("table")
    assert {"score-table", "cards"} <= set(table.get("class").split()) and "PHQ-9" in table.find("caption").text
    assert [th.text for th in table.iter("th")] == ["Date", "Occasion", "Score", "Severity band"]
    # On a narrow screen each row is a card whose cells show their column header (WCAG 1.4.10).
    assert all([td.get("data-label") for td in tr.iter("td")] == ["Date", "Occasion", "Score", "Severity band"]
               for tr in table.find("tbody"))
    body = [[td.text for td in tr.iter("td")] for tr in table.find("tbody")]
    assert [row[1:] for row in body] == [["Week 0", "17", "Moderately severe"], ["Week 1", "11", "Moderate"],
                                         ["Week 2", "4", "Minimal"]]
    assert [row[0] for row in body] == [format_datetime(p.at, "short") for p in points]
    assert body[0][0] == "02/03/2026, 10:00"  # the British way, not 3/2/26, 10:00 AM
    graph_scores = [c.get("data-score") for c in circles(ET.fromstring(html).find("figure"))]
    assert graph_scores == [row[2] for row in body]


def test_no_points_render_no_table(english):
    html = _render_partial(Series([]))
    assert "No scores yet." in html and "<table" not in html


def _render_partial(series) -> str:
    return render_template_string('{% from "clinic/_score_graph.html" import score_graph %}'
                                  '{{ score_graph(series, graph) }}', series=series, graph=score_graph.render(series))
