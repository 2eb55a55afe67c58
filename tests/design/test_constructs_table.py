"""The constructs table (design/constructs.py): docs/ENGINE.md holds it verbatim, it names every
program of the construct suite and only those, and the design tool's help page shows it to a
designer (and to no clinician)."""
from __future__ import annotations

import html
import re

from design.constructs import CONSTRUCTS, VERDICTS, markdown_table
from tests.conftest import ROOT
from tests.web.signin import demo  # noqa: F401

SUITE = ROOT / "tests" / "constructs"
PAGE = "/design/hjalp/konstruktioner"
ENGLISH = {"Accept-Language": "en"}


def test_engine_md_holds_the_table_verbatim_and_whole():
    text = (ROOT / "docs" / "ENGINE.md").read_text(encoding="utf-8")
    table = markdown_table()
    assert text.count(table) == 1
    # The whole table: a blank line follows, not a row the data lacks.
    assert text.split(table, 1)[1].startswith("\n\n")


def test_every_row_is_well_formed():
    assert CONSTRUCTS
    for row in CONSTRUCTS:
        assert row.construct and row.verdict in VERDICTS and row.folders, row
        assert "|" not in row.construct + row.why and "\n" not in row.construct + row.why, row
    assert len({row.construct for row in CONSTRUCTS}) == len(CONSTRUCTS)


def test_the_table_and_the_suite_folders_match():
    folders = {p.name for p in SUITE.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    named = [folder for row in CONSTRUCTS for folder in row.folders]
    assert len(named) == len(set(named)), "a folder in two rows"
    assert sorted(folders - set(named)) == [], "suite programs the table does not name"
    assert sorted(set(named) - folders) == [], "rows naming a folder that does not exist"


def test_a_broken_row_is_a_broken_folder_and_a_refused_folder_a_refused_row():
    for row in CONSTRUCTS:
        for folder in row.folders:
            assert folder.startswith("_broken_") == (row.verdict == "broken"), folder
            if (SUITE / folder / "refused.txt").exists():
                assert row.verdict == "refused", folder


def visible_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_the_help_page_shows_every_construct_to_a_designer(demo):
    client = demo.staff("designer")
    start = client.get("/design", headers=ENGLISH).text
    assert f'id="constructs-help" href="{PAGE}"' in start
    response = client.get(PAGE, headers=ENGLISH)
    assert response.status_code == 200
    page = response.text
    assert '<html lang="en">' in page
    assert 'class="cards constructs" role="table"' in page and 'id="constructs-in-english"' in page
    rows = re.findall(r'<tr role="row" data-verdict="(\w+)">(.*?)</tr>', page, re.S)
    assert len(rows) == len(CONSTRUCTS)
    for row, (verdict, cells) in zip(CONSTRUCTS, rows):
        assert verdict == row.verdict
        shown = visible_text(cells)
        assert row.construct.replace("`", "") in shown and row.why.replace("`", "") in shown
        assert all(folder in shown for folder in row.folders)
        assert {"runs": "Runs", "refused": "Refused by the check", "broken": "Broken"}[row.verdict] in shown
        # The BPMN English is marked as such for screen readers; the verdict is in the page's language.
        assert cells.count('lang="en"') == 3 and 'role="rowheader" lang="en"' in cells
    assert "<code>timeDuration</code>" in page


def test_a_clinician_may_not_open_the_help_page(demo):
    assert demo.staff("behandlare").get(PAGE).status_code == 403
