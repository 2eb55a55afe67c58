"""The command line as designers and CI use it: output format and exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cli import packages
from tests.conftest import FIXTURES, ROOT
from tests.support import bpmn


def vardflode(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "cli.main", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_validate_accepts_a_valid_package():
    result = vardflode("validate", FIXTURES / "simple")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith(": OK")


@pytest.mark.parametrize("program", packages.shipped_packages(), ids=lambda p: p.name)
def test_validate_accepts_every_shipped_program(program):
    """In a fresh process, without an app: the designer functions (score) are registered anyway."""
    result = vardflode("validate", program)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{program}: OK\n", "")


def test_validate_lists_every_problem_as_path_element_reason(tmp_path):
    bad = tmp_path / "bad.bpmn"
    body = (bpmn.script_task("calc", "x = __import__('os').system('id')") +
            bpmn.timer_event("wait", "timeCycle", "R/P1D"))
    bad.write_text(bpmn.process("bad", '<bpmn:startEvent id="start" />' + body + '<bpmn:endEvent id="end" />' +
                                bpmn.flows(("f1", "start", "calc"), ("f2", "calc", "wait"), ("f3", "wait", "end")),
                                {"Behandlare": ["start", "calc", "wait", "end"]}))
    result = vardflode("validate", bad)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert f"{bad}: calc: script: line 1: names starting with '_' are not allowed ('__import__')" in lines
    assert any(line.startswith(f"{bad}: wait: the cycle 'R/P1D' repeats without end") for line in lines)


def test_validate_reports_broken_forms_with_their_component(tmp_path):
    (tmp_path / "forms").mkdir()
    (tmp_path / "p.bpmn").write_text(bpmn.linear("p", bpmn.user_task("t", "x.form"), "t"))
    (tmp_path / "forms" / "x.form").write_text(json.dumps(
        {"components": [{"id": "c1", "key": "k", "type": "filepicker", "label": "Fil"}]}))
    result = vardflode("validate", tmp_path)
    assert result.returncode == 1
    assert f"{tmp_path / 'forms/x.form'}: c1: " in result.stdout


def test_validate_a_missing_path_fails_clearly(tmp_path):
    result = vardflode("validate", tmp_path / "nothing.bpmn")
    assert result.returncode == 1
    assert "no such file or folder" in result.stdout


def test_simulate_prints_the_trace_and_end_state(tmp_path):
    scenario = tmp_path / "low.json"
    scenario.write_text(json.dumps({"answer": {"q1": 0, "q2": 1}}))
    result = vardflode("simulate", FIXTURES / "simple", "--scenario", scenario)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2026-01-12 08:00  wait_week" in result.stdout and "timer fired" in result.stdout
    assert result.stdout.strip().endswith("END STATE: completed")


def test_simulate_stops_when_the_scenario_has_no_data_for_a_task(tmp_path):
    scenario = tmp_path / "risk.json"
    scenario.write_text(json.dumps({"answer": {"q1": 3, "q2": 3}}))
    result = vardflode("simulate", FIXTURES / "simple", "--scenario", scenario)
    assert result.returncode == 2
    assert "no data for the waiting task 'review'" in result.stderr


def test_simulate_fails_on_an_incident(tmp_path):
    (tmp_path / "p.bpmn").write_text(bpmn.process(
        "p", '<bpmn:startEvent id="start" />' + bpmn.user_task("enter") + bpmn.script_task("calc", "r = a / b") +
        '<bpmn:endEvent id="end" />' + bpmn.flows(("f1", "start", "enter"), ("f2", "enter", "calc"), ("f3", "calc", "end")),
        {"Behandlare": ["start", "enter", "calc", "end"]}))
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"enter": {"a": 1, "b": 0}}))
    result = vardflode("simulate", tmp_path, "--scenario", scenario)
    assert result.returncode == 1
    assert "END STATE: incident at calc: line 1: ZeroDivisionError: division by zero" in result.stdout


def test_pdl_checkpoint_and_verify(tmp_path):
    import os
    env = {**os.environ, "VARDFLODE_DATA_DIR": str(tmp_path), "VARDFLODE_DATABASE_URL": "",
           "VARDFLODE_PDL_ANCHOR_DIR": ""}
    def run(*args):
        return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    assert run("db-upgrade").returncode == 0
    unanchored = run("pdl-verify")
    assert unanchored.returncode == 0 and "no checkpoints" in unanchored.stderr
    taken = run("pdl-checkpoint")
    assert taken.returncode == 0 and str(tmp_path / "pdl-anchor" / "pdl-checkpoints.jsonl") in taken.stdout
    anchored = run("pdl-verify")
    assert (anchored.returncode, anchored.stdout.strip()) == (0, "PDL log intact: 0 entries, 1 checkpoints")
    forged = tmp_path / "pdl-anchor" / "pdl-checkpoints.jsonl"
    forged.write_text(forged.read_text().replace('"seq": 0', '"seq": 5'))
    broken = run("pdl-verify")
    assert broken.returncode == 1 and "checkpoint line 1 is forged" in broken.stderr


def test_add_national_member_bootstraps_the_first_member_and_lead_with_an_activation_link(tmp_path):
    import os
    env = {**os.environ, "VARDFLODE_DATA_DIR": str(tmp_path), "VARDFLODE_DATABASE_URL": "", "VARDFLODE_PUBLIC_URL": ""}
    def run(*args, **extra):
        return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env={**env, **extra},
                              capture_output=True, text=True, timeout=120)
    assert run("db-upgrade").returncode == 0
    member = ("add-national-member", "SE2321000016-NF01", "Nora", "Först", "nora@nf.example.se", "--lead")
    unaddressed = run(*member)
    assert unaddressed.returncode == 2 and "VARDFLODE_PUBLIC_URL" in unaddressed.stderr
    added = run(*member, VARDFLODE_PUBLIC_URL="https://vardflode.region.se")
    assert added.returncode == 0, added.stderr
    assert "Nora Först (SE2321000016-NF01) is a member of national management and its lead." in added.stdout
    assert "https://vardflode.region.se/aktivera/" in added.stdout
    again = run(*member, VARDFLODE_PUBLIC_URL="https://vardflode.region.se")
    assert again.returncode == 1 and "exists" in again.stderr
