"""``vardflode simulate PATH --scenario FILE``: a program from start to end on a virtual clock.

Runs on a throwaway SQLite database, completes each human task with the scenario's data and
fires timers by moving the clock, and prints the trace: time, element, lane, what happened.
A scenario's ``_expect`` (end event, elements reached or not) is checked at the end; the exit
code is 0 only when the run ended as expected (by default: completed, no incident).
The run itself is design/simulation.py, shared with the design tool's "Kör alla scenarier".
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import engine
from engine.db import db
from cli import packages
from design import driver, simulation


def main(path: str, scenario_path: str, start: str | None = None) -> int:
    try:
        scenario = driver.Scenario(json.loads(Path(scenario_path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as err:
        print(f"{scenario_path}: cannot read the scenario ({err})", file=sys.stderr)
        return 2
    from web import create_app
    outcome = simulation.Outcome(echo=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(DATA_DIR=tmp, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/simulate.sqlite3")
        with app.app_context():
            db.create_all()
            try:
                return simulation.run(lambda: packages.load(Path(path)), scenario, start, outcome).code
            finally:
                db.session.remove()
                engine.clock.reset()
