"""One scenario run on a virtual clock, as ``vardflode simulate`` and the design tool's "Kör alla
scenarier" both run it: the package is stored, an instance started and driven through the scenario
(design/driver.py), and every line of the trace kept in an ``Outcome``. The caller provides the
throwaway database (an app context) and the clock (the command's own process, or
``engine.clock.private()`` in a request)."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone

import engine
from design import driver
from engine.db import db

WHAT = {
    "started": "process started", "completed": "completed", "task_ready": "waiting for a person",
    "timer_fired": "timer fired", "incident": "INCIDENT", "message_received": "message received",
    "signal_received": "signal received", "clock_moved": "test clock moved",
}


@dataclass
class Outcome:
    """One scenario's run: ``code`` is the command's exit code (0 passed, 1 failed, 2 stopped for
    want of data), ``lines`` what it printed in order (``to_stderr`` marks the error lines),
    ``end_state`` the END STATE line's text and ``unmet`` the expectations not met."""

    code: int = 0
    lines: list = field(default_factory=list)
    end_state: str = ""
    unmet: list = field(default_factory=list)
    echo: bool = False  # print each line as it comes, as the command does
    instance_id: str | None = None  # the instance the run started (on the run's own database)

    @property
    def passed(self) -> bool:
        return self.code == 0

    @property
    def trace(self) -> list[str]:
        return [text for text, _to_stderr in self.lines]

    def say(self, text: str, to_stderr: bool = False) -> None:
        self.lines.append((text, to_stderr))
        if self.echo:
            print(text, file=sys.stderr if to_stderr else sys.stdout)


def run(load, scenario: driver.Scenario, start: str | None, outcome: Outcome) -> Outcome:
    """Store ``load()``'s checked package, start it at ``start`` (default 2026-01-05 08:00 UTC) on
    the frozen clock and drive it through ``scenario``; whatever escapes ends as an incident."""
    try:
        outcome.code = _simulate(load, scenario, start, outcome)
    except Exception as err:  # noqa: BLE001 - the last guard: an end state, never a traceback
        db.session.rollback()
        outcome.end_state = f"incident at (process): {driver.plain_reason(err)}"
        outcome.say(f"END STATE: {outcome.end_state}")
        outcome.code = 1
    return outcome


def _simulate(load, scenario: driver.Scenario, start: str | None, out: Outcome) -> int:
    try:
        version = engine.store_version(load())
    except engine.ValidationFailed as err:
        for problem in err.problems:
            out.say(str(problem), True)
        return 1
    begin = datetime.fromisoformat(start) if start else datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
    engine.clock.freeze(begin if begin.tzinfo else begin.replace(tzinfo=timezone.utc))
    try:
        outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id="simulation",
                               subject_id="test-resident", owner_id="test-clinician", is_test=True,
                               data=scenario.start_data)
    except engine.InvalidTaskData as err:  # the scenario's _start, not the program, is wrong
        out.say(f"STOPPED: '_start': {err}", True)
        return 2
    db.session.commit()
    out.instance_id = outcome.instance_id
    if scenario.data.get("_about"):
        out.say(f"SCENARIO: {scenario.data['_about']}")
    printer = _TracePrinter(outcome.instance_id, out)
    try:
        status = driver.run(outcome.instance_id, scenario, on_step=printer.flush)
    except driver.MissingScenarioData as err:
        printer.flush()
        out.end_state = f"stopped: {err}"
        out.say(f"STOPPED: {err}", True)
        return 2
    except driver.RunFailed as err:
        printer.flush()
        out.end_state = f"incident at {err.element}: {err.reason}"
        out.say(f"END STATE: {out.end_state}")
        return 1
    printer.flush()
    instance = engine.instance(outcome.instance_id)
    out.end_state = status + (f" at {instance.incident_element}: {instance.incident_message}"
                              if status == "incident" else "")
    out.say(f"END STATE: {out.end_state}")
    if status == "running":
        waiting = ", ".join(t.element_id for t in engine.ready_tasks(outcome.instance_id))
        out.say(f"still waiting for: {waiting or 'nothing'}")
    expect = scenario.data.get("_expect")
    unmet = driver.unmet_expectations(outcome.instance_id, expect)
    unmet += [f"the {sent} was caught by nothing" for sent in scenario.uncaught]
    unmet += [f"the {unsent} was never sent" for unsent in scenario.unsent()]
    out.unmet = unmet
    for problem in unmet:
        out.say(f"EXPECTATION NOT MET: {problem}")
    if expect and not unmet:
        out.say("EXPECTATIONS MET")
    wanted = expect.get("status", "completed") if isinstance(expect, dict) else "completed"
    return 0 if status == wanted and not unmet else 1


class _TracePrinter:
    def __init__(self, instance_id, out: Outcome):
        self.instance_id, self.seen, self.out = instance_id, 0, out

    def flush(self):
        events = engine.history(self.instance_id)
        for event in events[self.seen:]:
            self.out.say(trace_line(event))
        self.seen = len(events)


def trace_line(event) -> str:
    """One history event as ``vardflode simulate`` prints it (the design tool's test runs too)."""
    when = event.at.strftime("%Y-%m-%d %H:%M")
    lane = f"[{event.role}]" if event.role else ""
    label = event.element_name or event.element_id or ""
    what = WHAT.get(event.kind, event.kind)
    detail = f" – {event.detail}" if event.detail else ""
    return f"{when}  {event.element_id or '-':<28} {lane:<16} {what}{detail}  {label if label != event.element_id else ''}".rstrip()
