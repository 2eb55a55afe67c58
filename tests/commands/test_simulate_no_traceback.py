"""``vardflode simulate`` never prints a traceback: whatever the engine or the library raises during
a run ends as ``END STATE: incident at ELEMENT_ID: reason`` with exit code 1."""
from __future__ import annotations

import json

import engine
from cli import simulate
from tests.support import bpmn


def package(tmp_path, task_xml: str):
    (tmp_path / "p.bpmn").write_text(bpmn.process(
        "p", '<bpmn:startEvent id="start" />' + task_xml + '<bpmn:endEvent id="end" />' +
        bpmn.flows(("f1", "start", "enter"), ("f2", "enter", "end")), {"Behandlare": ["start", "enter", "end"]}))
    return tmp_path


def run(tmp_path, capsys, task_xml: str, scenario: dict):
    (tmp_path / "s.json").write_text(json.dumps(scenario))
    code = simulate.main(str(package(tmp_path, task_xml)), str(tmp_path / "s.json"))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out


def test_a_failing_post_script_ends_as_an_incident_at_the_step(tmp_path, capsys):
    post = ('<bpmn:extensionElements><spiffworkflow:postScript>r = a / b</spiffworkflow:postScript>'
            '</bpmn:extensionElements>')
    code, out = run(tmp_path, capsys, bpmn.user_task("enter", inner=post), {"enter": {"a": 1, "b": 0}})
    assert code == 1
    assert "END STATE: incident at enter: line 1: ZeroDivisionError: division by zero" in out


def test_task_data_the_engine_refuses_ends_as_an_incident_not_a_traceback(tmp_path, capsys):
    code, out = run(tmp_path, capsys, bpmn.user_task("enter"), {"enter": {"not a name": 3}})
    assert code == 1
    assert "END STATE: incident at enter: InvalidTaskData: 'not a name' is not an allowed field name" in out


def test_any_exception_escaping_the_engine_ends_as_an_incident(tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("a library bug\nwith more lines")
    monkeypatch.setattr(engine, "complete_task", broken)
    code, out = run(tmp_path, capsys, bpmn.user_task("enter"), {"enter": {"a": 1}})
    assert code == 1
    assert "END STATE: incident at enter: KeyError: 'a library bug" in out
