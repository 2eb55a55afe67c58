""""Kör alla scenarier" on the design program page: every scenarios/*.json of the head revision
runs as ``vardflode simulate`` runs it, on a throwaway database and a clock of its own; the
platform's tables and clock are as they were."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import engine
from design.models import DesignProgram, DesignRevision
from engine.db import db
from engine.models import ProcessInstance, ProgramVersion
from tests.web.signin import csrf_token, demo  # noqa: F401
from tests.web.test_design_screens import XML, create, head, save, upload

SLEEP = Path(__file__).resolve().parents[2] / "workflows" / "programs" / "selfhelp_sleep"


def sleep_zip(change=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in sorted(SLEEP.rglob("*")):
            if item.is_file():
                name = item.relative_to(SLEEP).as_posix()
                archive.writestr(name, change(name, item.read_bytes()) if change else item.read_bytes())
    return buffer.getvalue()


def import_sleep(client, demo, change=None) -> str:
    response = upload(client, "/design/nytt/zip", "package", "sleep.zip", sleep_zip(change),
                      unit=demo.org.publishers["national"].id)
    assert response.status_code == 303, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def run_all(client, program_id):
    path = f"/design/program/{program_id}"
    return client.post(f"{path}/scenarier", data={"csrf_token": csrf_token(client, path)})


def platform_rows():
    db.session.expire_all()
    return db.session.query(ProcessInstance).count(), db.session.query(ProgramVersion).count()


def test_the_program_page_offers_the_run(demo):
    client = demo.staff("designer")
    program_id = create(client)
    page = client.get(f"/design/program/{program_id}").text
    assert f'action="/design/program/{program_id}/scenarier"' in page


def test_a_blank_program_has_no_scenarios(demo):
    client = demo.staff("designer")
    response = run_all(client, create(client))
    assert response.status_code == 200 and 'class="no-scenarios"' in response.text and "<details>" not in response.text


def test_the_shipped_sleep_program_passes_its_four_scenarios_and_leaves_the_platform_alone(demo):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    before, clock_before = platform_rows(), engine.clock.now()
    response = run_all(client, program_id)
    assert response.status_code == 200, response.text
    page = response.text
    for name in ("low_scores.json", "no_answer_two_weeks.json", "risk_answer.json", "slow_weeks.json"):
        assert name in page
    assert page.count('class="scenario-passed"') == 4 and 'class="scenario-failed"' not in page
    about = json.loads((SLEEP / "scenarios" / "low_scores.json").read_text(encoding="utf-8"))["_about"]
    assert about in page
    assert page.count("<details>") == 4 and "END STATE: completed" in page and "process started" in page
    assert platform_rows() == before  # no instance, no version in the platform's database
    assert engine.clock.now() == clock_before  # the request's clock is where it was
    assert db.session.query(DesignRevision).filter_by(program_id=program_id).count() == 1


def test_a_broken_scenario_fails_naming_the_unmet_expectation(demo):
    def broken(name, data):
        if name != "scenarios/low_scores.json":
            return data
        scenario = json.loads(data)
        scenario["_expect"]["reached"].append("nowhere")
        return json.dumps(scenario, ensure_ascii=False).encode()
    client = demo.staff("designer")
    page = run_all(client, import_sleep(client, demo, broken)).text
    assert page.count('class="scenario-failed"') == 1 and page.count('class="scenario-passed"') == 3
    assert "&#39;nowhere&#39; was never reached" in page


def test_a_package_with_problems_shows_them_and_runs_nothing(demo):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    assert save(client, program_id, XML.format(id="selfhelp_sleep"), head(program_id)).status_code == 303
    page = run_all(client, program_id).text
    assert 'role="alert"' in page and "selfhelp_sleep.bpmn" in page and "<details>" not in page


def test_csrf_is_required(demo):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    assert client.post(f"/design/program/{program_id}/scenarier").status_code in (400, 403)


def test_another_units_program_and_a_clinician_are_refused(demo):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    db.session.get(DesignProgram, program_id).publisher_unit_id = demo.org.publishers["training"].id
    db.session.commit()
    assert run_all(client, program_id).status_code in (403, 404)
    clinician = demo.staff("behandlare")
    token = csrf_token(clinician, "/")
    assert clinician.post(f"/design/program/{program_id}/scenarier", data={"csrf_token": token}).status_code == 403
    assert head(program_id)  # untouched


def test_the_work_is_bounded_and_an_unreadable_scenario_fails(demo, monkeypatch):
    from web.design import scenario_runs

    def extra(name, data):
        return b"{nope" if name == "scenarios/slow_weeks.json" else data
    client = demo.staff("designer")
    program_id = import_sleep(client, demo, extra)
    page = run_all(client, program_id).text
    assert page.count('class="scenario-failed"') == 1 and "cannot read the scenario" in page
    monkeypatch.setattr(scenario_runs, "MAX_SCENARIOS", 2)
    page = run_all(client, program_id).text
    assert page.count("<details>") == 2 and "low_scores.json" in page and "risk_answer.json" not in page
    assert 'class="scenarios-left-out"' in page
    monkeypatch.setattr(scenario_runs, "MAX_SCENARIOS", 50)
    monkeypatch.setattr(scenario_runs, "TIME_BUDGET", -1.0)
    page = run_all(client, program_id).text
    assert "<details>" not in page and page.count('class="scenario-not-run"') == 4 and "low_scores.json" in page
