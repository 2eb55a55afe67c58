"""``vardflode simulate PATH --scenario FILE``: a program from start to end on a virtual clock.

Runs on a throwaway SQLite database, completes each human task with the scenario's data and
fires timers by moving the clock, and prints the trace: time, element, lane, what happened.
A scenario's ``_expect`` (end event, elements reached or not) is checked at the end; the exit
code is 0 only when the run ended as expected (by default: completed, no incident).
"""
from __future__ import annotations

import json
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import engine
from engine.db import db
from cli import driver, packages

WHAT = {
    "started": "process started", "completed": "completed", "task_ready": "waiting for a person",
    "timer_fired": "timer fired", "incident": "INCIDENT", "message_received": "message received",
    "signal_received": "signal received",
}


def main(path: str, scenario_path: str, start: str | None = None) -> int:
    try:
        scenario = driver.Scenario(json.loads(Path(scenario_path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as err:
        print(f"{scenario_path}: cannot read the scenario ({err})", file=sys.stderr)
        return 2
    from web import create_app
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(DATA_DIR=tmp, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/simulate.sqlite3")
        with app.app_context():
            db.create_all()
            try:
                return _simulate(Path(path), scenario, start)
            except Exception as err:  # noqa: BLE001 - the last guard: an end state, never a traceback
                db.session.rollback()
                print(f"END STATE: incident at (process): {driver.plain_reason(err)}")
                return 1
            finally:
                db.session.remove()
                engine.clock.reset()


def _simulate(path: Path, scenario: driver.Scenario, start: str | None) -> int:
    try:
        version = engine.store_version(packages.load(path))
    except engine.ValidationFailed as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    begin = datetime.fromisoformat(start) if start else datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
    engine.clock.freeze(begin if begin.tzinfo else begin.replace(tzinfo=timezone.utc))
    outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id="simulation",
                           subject_id="test-resident", owner_id="test-clinician", is_test=True)
    db.session.commit()
    if scenario.data.get("_about"):
        print(f"SCENARIO: {scenario.data['_about']}")
    printer = _TracePrinter(outcome.instance_id)
    try:
        status = driver.run(outcome.instance_id, scenario, on_step=printer.flush)
    except driver.MissingScenarioData as err:
        printer.flush()
        print(f"STOPPED: {err}", file=sys.stderr)
        return 2
    except driver.RunFailed as err:
        printer.flush()
        print(f"END STATE: incident at {err.element}: {err.reason}")
        return 1
    printer.flush()
    instance = engine.instance(outcome.instance_id)
    print(f"END STATE: {status}" + (f" at {instance.incident_element}: {instance.incident_message}"
                                     if status == "incident" else ""))
    if status == "running":
        waiting = ", ".join(t.element_id for t in engine.ready_tasks(outcome.instance_id))
        print(f"still waiting for: {waiting or 'nothing'}")
    expect = scenario.data.get("_expect")
    unmet = driver.unmet_expectations(outcome.instance_id, expect)
    unmet += [f"the {sent} was caught by nothing" for sent in scenario.uncaught]
    unmet += [f"the {unsent} was never sent" for unsent in scenario.unsent()]
    for problem in unmet:
        print(f"EXPECTATION NOT MET: {problem}")
    if expect and not unmet:
        print("EXPECTATIONS MET")
    wanted = expect.get("status", "completed") if isinstance(expect, dict) else "completed"
    return 0 if status == wanted and not unmet else 1


class _TracePrinter:
    def __init__(self, instance_id):
        self.instance_id, self.seen = instance_id, 0

    def flush(self):
        events = engine.history(self.instance_id)
        for event in events[self.seen:]:
            when = event.at.strftime("%Y-%m-%d %H:%M")
            lane = f"[{event.role}]" if event.role else ""
            label = event.element_name or event.element_id or ""
            what = WHAT.get(event.kind, event.kind)
            detail = f" – {event.detail}" if event.detail else ""
            print(f"{when}  {event.element_id or '-':<28} {lane:<16} {what}{detail}  {label if label != event.element_id else ''}".rstrip())
        self.seen = len(events)
