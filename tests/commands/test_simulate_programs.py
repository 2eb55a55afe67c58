"""``vardflode simulate`` over every scenario of every demo program: each runs from start to end
on the virtual clock without an incident and ends where its ``_expect`` says. Every demo program
has at least the three stories a designer must check: low scores, a risk answer, and no answer
for two weeks."""
from __future__ import annotations

import json

import pytest

from tests.conftest import FIXTURES
from cli import packages, simulate

DEMO_PROGRAMS = [p for p in packages.shipped_packages() if p.parent.name == "programs"]
SCENARIOS = [s for p in DEMO_PROGRAMS for s in sorted((p / "scenarios").glob("*.json"))]
REQUIRED = {"low_scores", "risk_answer", "no_answer_two_weeks"}


def test_the_demo_programs_are_the_depression_and_sleep_programs():
    assert {p.name for p in DEMO_PROGRAMS} == {"depression_icbt", "selfhelp_sleep"}


@pytest.mark.parametrize("program", DEMO_PROGRAMS, ids=lambda p: p.name)
def test_every_demo_program_has_the_required_scenarios(program):
    assert REQUIRED <= {s.stem for s in (program / "scenarios").glob("*.json")}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: f"{s.parent.parent.name}/{s.stem}")
def test_simulate_runs_the_scenario_to_its_expected_end(scenario, capsys):
    expect = json.loads(scenario.read_text(encoding="utf-8")).get("_expect")
    assert expect and expect.get("end"), "every scenario says where it ends"
    code = simulate.main(str(scenario.parent.parent), str(scenario))
    out, err = capsys.readouterr()
    assert code == 0, out[-2000:] + err
    assert "INCIDENT" not in out and "STOPPED" not in err
    assert f"  {expect['end']} " in out
    assert out.rstrip().endswith("END STATE: completed\nEXPECTATIONS MET")


def test_simulate_fails_when_the_run_does_not_end_as_expected(tmp_path, capsys):
    scenario = tmp_path / "wrong.json"
    scenario.write_text(json.dumps({"_expect": {"end": "end_elsewhere", "reached": ["review"], "not_reached": ["answer"]},
                                    "answer": {"q1": 0, "q2": 1}}))
    assert simulate.main(str(FIXTURES / "simple"), str(scenario)) == 1
    out = capsys.readouterr().out
    assert "EXPECTATION NOT MET: it did not end at 'end_elsewhere'" in out
    assert "EXPECTATION NOT MET: 'review' was never reached" in out
    assert "EXPECTATION NOT MET: 'answer' was reached" in out
