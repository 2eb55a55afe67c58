""""Täckning": running all scenarios stores the paths they took with the revision; the coverage
page draws them on the diagram (viewer data) with the percentage and lists what was never taken,
and the program page shows the head revision's percentage."""
from __future__ import annotations

import json
import re

from design.models import DesignCoverage
from engine.db import db
from tests.web.signin import demo  # noqa: F401
from tests.web.test_design_scenarios import import_sleep, run_all
from tests.web.test_design_screens import XML, create, head, save

SUMMARY = re.compile(r'class="coverage-summary">(?:Coverage|Täckning) (\d+) ?% \((\d+) (?:of|av) (\d+) '
                     r'(?:elements and flows|element och flöden)\)')


def summary(page: str) -> tuple[int, int, int]:
    found = SUMMARY.search(page)
    assert found, page
    return tuple(int(n) for n in found.groups())


def never_taken(page: str) -> list[str]:
    section = page.split('id="never-taken-heading"', 1)[1]
    return re.findall(r"<li><code>([^<]+)</code>", section)


def diagram_data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="coverage-data-1">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


def run_first(client, program_id, monkeypatch, count: int) -> str:
    from web.design import scenario_runs
    monkeypatch.setattr(scenario_runs, "MAX_SCENARIOS", count)
    return run_all(client, program_id).text


def test_running_scenarios_shows_the_coverage_and_what_they_never_took(demo, monkeypatch):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    # low_scores and no_answer_two_weeks: nobody still sleeps badly, so nobody is told to seek care
    page = run_first(client, program_id, monkeypatch, 2)
    assert summary(page) == (90, 27, 30)
    assert f'href="/design/program/{program_id}/tackning/{head(program_id)}"' in page

    page = client.get(f"/design/program/{program_id}/tackning/{head(program_id)}").text
    assert summary(page) == (90, 27, 30)
    assert never_taken(page) == ["seek_care", "flow_seek_care_summary", "flow_still_poor"]
    assert "Råd: sök vård för sömnproblemen" in page
    drawn = diagram_data(page)
    assert drawn["file"] == "selfhelp_sleep.bpmn" and 'id="seek_care"' in drawn["xml"]
    assert "seek_care" in drawn["never"] and "diary_3" in drawn["taken"] and "seek_care" not in drawn["taken"]
    assert summary(client.get(f"/design/program/{program_id}").text) == (90, 27, 30)


def test_a_new_run_replaces_the_last_one(demo, monkeypatch):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    run_first(client, program_id, monkeypatch, 2)
    assert summary(run_first(client, program_id, monkeypatch, 50)) == (100, 30, 30)
    page = client.get(f"/design/program/{program_id}/tackning").text
    assert never_taken(page) == [] and "Alla element och flöden har tagits." in page
    assert summary(run_first(client, program_id, monkeypatch, 1)) == (90, 27, 30)  # not a union with the run before
    db.session.expire_all()
    assert db.session.query(DesignCoverage).count() == 1


def test_a_new_revision_starts_without_coverage_and_the_old_one_keeps_its_own(demo, monkeypatch):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    first = head(program_id)
    run_first(client, program_id, monkeypatch, 50)
    assert save(client, program_id, XML.format(id="selfhelp_sleep"), first).status_code == 303
    assert "Inget har körts på den aktuella versionen ännu." in client.get(f"/design/program/{program_id}").text
    assert 'class="no-coverage"' in client.get(f"/design/program/{program_id}/tackning").text
    assert summary(client.get(f"/design/program/{program_id}/tackning/{first}").text) == (100, 30, 30)


def test_a_blank_program_without_runs_says_nothing_has_run(demo):
    client = demo.staff("designer")
    program_id = create(client)
    page = client.get(f"/design/program/{program_id}/tackning")
    assert page.status_code == 200 and 'class="no-coverage"' in page.text and "bpmn-coverage" not in page.text


def test_other_programs_revisions_and_people_are_refused(demo):
    client = demo.staff("designer")
    program_id, other = create(client), create(client)
    assert client.get(f"/design/program/{program_id}/tackning/{head(other)}").status_code == 404
    assert client.get(f"/design/program/{program_id}/tackning/nope").status_code == 404
    assert demo.staff("behandlare").get(f"/design/program/{program_id}/tackning").status_code == 403
