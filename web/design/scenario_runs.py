""""Kör alla scenarier": every ``scenarios/*.json`` of a revision run as ``vardflode simulate`` runs
it (design/simulation.py), each on its own throwaway SQLite database in a temporary folder, in a
small Flask app of its own, and on this thread's own clock (``engine.clock.private``): the
platform's database and clock, which the request and every other thread use, are not touched.
The work is bounded: at most MAX_SCENARIOS scenarios, the driver's step limit per run, and no new
run started once TIME_BUDGET seconds have gone."""
from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field

from flask import Flask

import engine
from design import driver, simulation
from design.package_check import load_files, problems_of
from engine.db import db
from web import _install_sqlite_pragmas

MAX_SCENARIOS = 50
TIME_BUDGET = 60.0  # seconds


@dataclass
class ScenarioResult:
    name: str  # the file name inside scenarios/
    about: str
    outcome: simulation.Outcome | None  # None: not run (the time budget was spent)
    taken: engine.Paths | None = None  # the paths its instance took, read before its database went


@dataclass
class Report:
    scenarios: int = 0  # how many the revision has
    findings: list = field(default_factory=list)  # the package's problems: nothing was run
    results: list = field(default_factory=list)
    left_out: int = 0  # beyond MAX_SCENARIOS


def run_all(files: dict[str, bytes]) -> Report:
    names = sorted(n for n in files if n.startswith("scenarios/") and n.endswith(".json"))
    report = Report(scenarios=len(names))
    if not names:
        return report
    package = {n: data for n, data in files.items() if not n.startswith("scenarios/")}  # as read_paths
    report.findings = problems_of(package)
    if report.findings:
        return report
    report.left_out = max(0, len(names) - MAX_SCENARIOS)
    deadline = time.monotonic() + TIME_BUDGET
    for name in names[:MAX_SCENARIOS]:
        data = _read(files[name])
        about = data.get("_about") if isinstance(data, dict) and isinstance(data.get("_about"), str) else ""
        short = name.removeprefix("scenarios/")
        if time.monotonic() > deadline:
            report.results.append(ScenarioResult(short, about, None))
            continue
        report.results.append(ScenarioResult(short, about, *run_one(package, data)))
    return report


def run_one(package: dict[str, bytes], data) -> tuple[simulation.Outcome, engine.Paths | None]:
    """One scenario (its parsed JSON, or the ValueError reading it) over a checked package, and
    the paths its instance took (path coverage, design/coverage.py), None when none started."""
    outcome = simulation.Outcome()
    try:
        if isinstance(data, ValueError):
            raise data
        if not isinstance(data, dict):
            raise ValueError("a scenario is a JSON object")
        scenario = driver.Scenario(data)
    except ValueError as err:
        outcome.end_state = f"cannot read the scenario ({err})"
        outcome.say(outcome.end_state, True)
        outcome.code = 2
        return outcome, None
    with tempfile.TemporaryDirectory() as tmp, engine.clock.private():
        app = Flask("vardflode_simulation")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp}/simulate.sqlite3"
        db.init_app(app)
        _install_sqlite_pragmas(app)  # foreign keys on, as in the command's app
        with app.app_context():
            try:
                db.create_all()
                simulation.run(lambda: load_files(package), scenario, None, outcome)
                return outcome, _taken(outcome)
            finally:
                db.session.remove()
                db.engine.dispose()


def _taken(outcome: simulation.Outcome) -> engine.Paths | None:
    """Read from the run's own database before it is thrown away; a run that failed before
    its instance was saved took nothing."""
    if outcome.instance_id is None:
        return None
    try:
        return engine.paths_taken(outcome.instance_id)
    except engine.NotFound:
        return None


def _read(raw: bytes):
    try:
        return json.loads(raw)
    except ValueError as err:
        return err
