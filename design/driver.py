"""Drives one instance through a scenario on the engine's virtual clock.

Shared by ``vardflode simulate``, the design tool's "Kör alla scenarier" (the designer's week-1-to-week-12-in-seconds view) and by the
demo seeding, which stops residents at different stages of their programs.

A scenario is JSON: data per task element id (a list is used in turn when the task comes up
again), and these keys:

- ``_wait``: task id -> ISO duration to let pass (firing the timers due meanwhile) before the
  task is answered, e.g. ``{"diary": "P4D"}``;
- ``_after``: task id -> a task id (or a list of them) that must have been answered first. The
  task is left open meanwhile while others are answered, e.g. ``{"read_reminder": "diary"}``
  keeps a reminder open until the diary it reminds of is sent. A task held with nothing else to
  answer and no timer to wait for stays open, and the run ends there;
- ``_expect``: how the run must end (see ``unmet_expectations``); ``_about``: what it shows;
- ``_start``: the data the instance starts with, as a platform process gets it from the module
  that starts it (e.g. an incident report's consequence), ``{}`` by default.

A scenario can also deliver messages and signals, as the platform would (``_send``, a list)::

    "_send": [{"message": "vardflode.resident_message", "after": "ask_resident", "wait": "P2D"},
              {"message": "vardflode.action.call_done"},
              {"signal": "stop_program", "wait": "P10D"}]

Each entry names one ``message`` or ``signal``; it is delivered ``wait`` (ISO duration, default
none) after the element ``after`` is first done (completed, or its timer fired; default: the
start), timers due before then firing first. ``vardflode.resident_message`` goes the way a resident's message does,
``vardflode.action.<name>`` the way a clinician's button does; other names go to this instance
only. A delivery nothing catches is an unmet expectation (``Scenario.uncaught``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import engine
from engine.db import db


class RunFailed(Exception):
    """An engine or library exception the run cannot go past (the engine turns designer faults into
    incidents itself; this is whatever else escaped): the run ends as an incident at ``element``."""

    def __init__(self, element: str, reason: str):
        self.element, self.reason = element, reason
        super().__init__(f"{element}: {reason}")


def plain_reason(err: Exception) -> str:
    """The first line of the error with its kind, for a designer reading the end state."""
    lines = str(err).strip().splitlines()
    return f"{type(err).__name__}: {lines[0]}" if lines else type(err).__name__


class MissingScenarioData(Exception):
    def __init__(self, task):
        self.task = task
        super().__init__(f"the scenario has no data for the waiting task '{task.element_id}' ({task.name})")


@dataclass
class Scenario:
    """Data per task element id; a list is used in turn when the task comes up again.
    ``_wait`` maps a task id to an ISO duration to let pass before answering it; ``_expect`` says
    how the run must end (see ``unmet_expectations``) and ``_about`` what the scenario shows."""

    data: dict
    used: dict = field(default_factory=dict)
    waited: set = field(default_factory=set)
    answered: set = field(default_factory=set)  # element ids answered at least once
    sent: set = field(default_factory=set)  # indexes of the ``_send`` entries delivered
    uncaught: list = field(default_factory=list)  # what was sent and caught by nothing

    def __post_init__(self):
        for entry in self.sends:
            if not isinstance(entry, dict) or len({"message", "signal"} & entry.keys()) != 1 \
                    or set(entry) - {"message", "signal", "after", "wait"}:
                raise ValueError(f"a '_send' entry needs one 'message' or 'signal', and may have 'after' "
                                 f"and 'wait': {entry!r}")
            engine.clock.parse_duration(entry.get("wait") or "PT0S")  # a bad duration fails now
        if not isinstance(self.data.get("_start", {}), dict):
            raise ValueError("'_start' must be an object: the data the instance starts with")

    @property
    def start_data(self) -> dict:
        """``_start``: the instance's start data (a platform process is started with data)."""
        return dict(self.data.get("_start") or {})

    def unsent(self) -> list[str]:
        """The ``_send`` entries never delivered (their ``after`` element was never reached)."""
        return [f"{'message' if e.get('message') else 'signal'} '{e.get('message') or e.get('signal')}'"
                for i, e in enumerate(self.sends) if i not in self.sent]

    @property
    def sends(self) -> list:
        return self.data.get("_send") or []

    def next_send(self, instance_id: str):
        """(when, index) of the next delivery whose ``after`` element has been reached, or None."""
        pending = [i for i in range(len(self.sends)) if i not in self.sent]
        if not pending:
            return None
        events = engine.history(instance_id)
        first_done = {}  # "after the diary" means after it was done, not after it opened
        for event in events:
            if event.kind in ("completed", "timer_fired"):
                first_done.setdefault(event.element_id, event.at)
        times = []
        for i in pending:
            entry = self.sends[i]
            anchor = first_done.get(entry["after"]) if entry.get("after") else events[0].at
            if anchor is not None:
                times.append((anchor + engine.clock.parse_duration(entry.get("wait") or "PT0S"), i))
        return min(times) if times else None

    def waits_for(self, task) -> timedelta | None:
        wait = (self.data.get("_wait") or {}).get(task.element_id)
        if wait is None or task.id in self.waited:
            return None
        self.waited.add(task.id)
        return engine.clock.parse_duration(wait)

    def held(self, task) -> bool:
        """``_after``: the task waits until the tasks it names have been answered."""
        first = (self.data.get("_after") or {}).get(task.element_id)
        if first is None:
            return False
        return not set([first] if isinstance(first, str) else first) <= self.answered

    def answer(self, task) -> dict:
        if task.element_id not in self.data:
            raise MissingScenarioData(task)
        self.answered.add(task.element_id)
        value = self.data[task.element_id]
        if isinstance(value, list):
            turn = self.used.get(task.element_id, 0)
            self.used[task.element_id] = turn + 1
            if not value:
                raise MissingScenarioData(task)
            value = value[min(turn, len(value) - 1)]
        return dict(value or {})


EXPECT_KEYS = frozenset({"status", "end", "reached", "not_reached", "times"})


def unmet_expectations(instance_id: str, expect) -> list[str]:
    """What a scenario's ``_expect`` says that did not happen: ``status`` (default "completed"),
    ``end`` (the end event reached), ``reached`` and ``not_reached`` (element ids in the history),
    ``times`` (element id -> how often it completed or, for a timer, fired: ``{"remind": 3}``)."""
    if not expect:
        return []
    if not isinstance(expect, dict):
        return ["'_expect' must be an object with status, end, reached, not_reached and times"]
    unknown = sorted(set(expect) - EXPECT_KEYS)
    if unknown:  # a misspelt expectation would otherwise pass without being checked
        return [f"'_expect' has no '{key}'; it checks status, end, reached, not_reached and times" for key in unknown]
    events = engine.history(instance_id)
    seen = {e.element_id for e in events if e.element_id}
    finished = {e.element_id for e in events if e.kind == "completed"}
    status, wanted = engine.instance(instance_id).status, expect.get("status", "completed")
    problems = [] if status == wanted else [f"the instance is {status}, not {wanted}"]
    if expect.get("end") and expect["end"] not in finished:
        problems.append(f"it did not end at '{expect['end']}'")
    problems += [f"'{element}' was never reached" for element in expect.get("reached", []) if element not in seen]
    problems += [f"'{element}' was reached" for element in expect.get("not_reached", []) if element in seen]
    return problems + _times_unmet(events, expect.get("times") or {})


def _times_unmet(events, wanted: dict) -> list[str]:
    happened = Counter(e.element_id for e in events if e.kind in ("completed", "timer_fired"))
    return [f"'{element}' happened {happened[element]} times, not {count}"
            for element, count in wanted.items() if happened[element] != count]


def fire_due_timers() -> int:
    fired = 0
    for timer_id in engine.overdue_timer_ids():
        fired += engine.fire_timer(timer_id) is not None
        db.session.commit()
    return fired


def move_clock_to(target) -> None:
    """Advance the frozen clock to ``target``, firing every timer due on the way, in order."""
    while True:
        due = engine.next_timer_due()
        if due is None or due > target:
            break
        engine.clock.freeze(max(engine.clock.now(), due + timedelta(milliseconds=1)))
        if not fire_due_timers():
            break
    engine.clock.freeze(max(engine.clock.now(), target))
    fire_due_timers()


def deliver(instance_id: str, entry: dict) -> bool:
    """One ``_send`` entry, the way the platform delivers it; True when the instance caught it."""
    instance = engine.instance(instance_id)
    name = entry.get("message") or entry["signal"]
    if entry.get("message") == engine.RESIDENT_MESSAGE:
        caught = any(o.instance_id == instance_id for o in engine.resident_message_sent(instance.subject_id, instance.unit_id))
    elif entry.get("message") and name.startswith(engine.ACTION_PREFIX):
        try:
            engine.press_action(instance_id, name[len(engine.ACTION_PREFIX):], engine.SYSTEM)
            caught = True
        except (engine.TaskConflict, engine.NotFound):
            caught = False
    else:
        caught = engine.send_to(instance_id, "message" if entry.get("message") else "signal", name)
    db.session.commit()
    return caught


def advance_to(instance_id: str, scenario: Scenario, target) -> None:
    """Move the clock to ``target``, delivering the scenario's messages and signals due on the way
    (timers due before each firing first)."""
    while (send := scenario.next_send(instance_id)) is not None and send[0] <= target:
        at, index = send
        move_clock_to(at)
        scenario.sent.add(index)
        if not deliver(instance_id, scenario.sends[index]):
            entry = scenario.sends[index]
            scenario.uncaught.append(f"{'message' if entry.get('message') else 'signal'} "
                                     f"'{entry.get('message') or entry['signal']}' at {at.isoformat()}")
    move_clock_to(target)


def run(instance_id: str, scenario: Scenario, max_steps: int = 2000, stop_after: int | None = None,
        on_step=None) -> str:
    """Complete tasks and fire timers until the instance ends, waits on nothing, or stops."""
    completed = 0
    for _ in range(max_steps):
        instance = engine.instance(instance_id)
        if instance.status != "running" or (stop_after is not None and completed >= stop_after):
            break
        send = scenario.next_send(instance_id)
        if send is not None and send[0] <= engine.clock.now():  # due now: before the next answer
            _guarded("(message)", advance_to, instance_id, scenario, engine.clock.now())
            continue
        tasks = [t for t in engine.ready_tasks(instance_id) if not scenario.held(t)]
        if tasks:
            task = tasks[0]
            wait = scenario.waits_for(task)
            if wait is not None:
                _guarded(task.element_id, advance_to, instance_id, scenario, engine.clock.now() + wait)
                continue
            _guarded(task.element_id, _complete, task, scenario.answer(task))
            completed += 1
        else:
            due = engine.next_timer_due()
            send = scenario.next_send(instance_id)
            if due is None and send is None:
                break
            target = min(t for t in (due and due + timedelta(milliseconds=1), send and send[0]) if t)
            _guarded("(timer)", advance_to, instance_id, scenario, max(target, engine.clock.now()))
        if on_step:
            on_step()
    return engine.instance(instance_id).status


def _complete(task, data: dict) -> None:
    engine.complete_task(task.id, engine.SYSTEM, data)
    db.session.commit()


def _guarded(element: str, step, *args) -> None:
    """Run one step; an exception that escaped the engine's incident handling ends the run as an
    incident at the element being moved on (a scenario is a designer's test, not a traceback)."""
    try:
        step(*args)
    except MissingScenarioData:
        raise
    except Exception as err:  # noqa: BLE001 - whatever escaped is reported, never a traceback
        db.session.rollback()
        raise RunFailed(element, plain_reason(err)) from err
