"""Video meetings in a program (R29, R51–R56): how a designer places one, and how the rest of
the platform hears that one is due.

A meeting is a **user task in the Behandlare lane** carrying the spiffworkflow property
``vardflodeMeeting``::

    <spiffworkflow:property name="vardflodeMeeting" value="kind=follow_up; start=P7D; duration=PT30M"/>

* ``kind``: ``assessment`` or ``follow_up``;
* ``start``: an ISO 8601 duration after the step opens (``PT0M``: as soon as possible), days,
  hours and minutes only, at most a year;
* ``duration``: an ISO 8601 duration from 5 minutes to 4 hours.

Why a user task: the clinician holds the meeting and then completes the step (with the step's
form, if it has one, for notes), so the step sits on their task list like any other work, in the
lane that already says whose it is. Booking happens outside SpiffWorkflow: when the step opens,
the engine tells whoever registered with ``on_opened`` (the ``video`` package) and goes on; the
booking's HTTP calls, retries and back-off never run under the instance lock, and a vendor that
is down never fails the advance. A recurring meeting is the same task with a loop marker or a
sequential multi-instance marker: each time the step opens it books its own meeting, ``start``
after that opening. SpiffWorkflow's service tasks are not used (the sandbox refuses
``call_service``: a synchronous call inside ``do_engine_steps`` would hold the instance lock
while a vendor answers, or fail the whole step when it does not).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from engine.bpmn_xml import SPIFF, q
from engine.errors import Problem

PROPERTY = "vardflodeMeeting"
KINDS = ("assessment", "follow_up")
MIN_DURATION, MAX_DURATION = timedelta(minutes=5), timedelta(hours=4)
MAX_START = timedelta(days=366)
_DURATION = re.compile(r"^P(?!$)(?:(\d{1,3})W)?(?:(\d{1,3})D)?(?:T(?=\d)(?:(\d{1,4})H)?(?:(\d{1,5})M)?)?$")
EXAMPLE = "kind=follow_up; start=P7D; duration=PT30M"


@dataclass(frozen=True)
class MeetingSpec:
    kind: str
    start_after: timedelta
    duration: timedelta


@dataclass(frozen=True)
class OpenedMeeting:
    """A meeting step that just became ready: ids and times only."""

    task_id: str
    instance_id: str
    element_id: str
    subject_id: str | None
    owner_id: str | None
    unit_id: str | None
    kind: str
    starts_at: datetime
    ends_at: datetime


class MeetingError(ValueError):
    """The property's value is malformed; the message says what to write."""


def iso_duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip())
    if not match:
        raise MeetingError(f"'{text.strip()}' is not an ISO 8601 duration of weeks, days, hours and minutes (e.g. P7D or PT30M)")
    weeks, days, hours, minutes = (int(g or 0) for g in match.groups())
    return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)


def parse(value: str | None) -> MeetingSpec:
    """The property's value as a MeetingSpec, or MeetingError naming the part that is wrong."""
    parts: dict[str, str] = {}
    for piece in (value or "").split(";"):
        if not piece.strip():
            continue
        key, sep, val = piece.partition("=")
        key = key.strip()
        if not sep or key not in ("kind", "start", "duration"):
            raise MeetingError(f"'{piece.strip()}' is not kind=…, start=… or duration=… (e.g. {EXAMPLE})")
        if key in parts:
            raise MeetingError(f"'{key}' is given twice")
        parts[key] = val.strip()
    missing = [k for k in ("kind", "start", "duration") if k not in parts]
    if missing:
        raise MeetingError(f"the meeting needs {', '.join(missing)} (e.g. {EXAMPLE})")
    if parts["kind"] not in KINDS:
        raise MeetingError(f"kind must be assessment or follow_up, not '{parts['kind']}'")
    start = iso_duration(parts["start"])
    if start > MAX_START:
        raise MeetingError("start must be at most a year after the step opens")
    duration = iso_duration(parts["duration"])
    if not MIN_DURATION <= duration <= MAX_DURATION:
        raise MeetingError("duration must be from 5 minutes (PT5M) to 4 hours (PT4H)")
    return MeetingSpec(parts["kind"], start, duration)


def meeting_value(element) -> str | None:
    for prop in element.iter(q("property", SPIFF)):
        if prop.get("name") == PROPERTY:
            return prop.get("value") or ""
    return None


def check_meetings(name: str, root, lane_roles: dict) -> list[Problem]:
    """A meeting is a user task in the Behandlare lane with a well-formed value."""
    problems = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.get("id") is None:
            continue
        own = [p for p in el.findall(f"{q('extensionElements')}/{q('properties', SPIFF)}/{q('property', SPIFF)}")
               if p.get("name") == PROPERTY]
        if not own:
            continue
        element_id = el.get("id")
        if el.tag != q("userTask"):
            problems.append(Problem(name, element_id, "a video meeting must be a user task in the Behandlare lane"))
            continue
        role = (lane_roles.get(element_id) or (None, None))[1]
        if role is not None and role != "behandlare":
            problems.append(Problem(name, element_id, "a video meeting must be in the Behandlare lane: the responsible clinician holds it"))
        try:
            parse(own[0].get("value"))
        except MeetingError as err:
            problems.append(Problem(name, element_id, f"the video meeting is malformed: {err}"))
    return problems


def meetings_in(trees: dict) -> dict[str, MeetingSpec]:
    """Element id -> MeetingSpec, for every meeting step of a checked package."""
    found = {}
    for tree in trees.values():
        for task in tree.getroot().iter(q("userTask")):
            value = meeting_value(task)
            if value is not None:
                try:
                    found[task.get("id")] = parse(value)
                except MeetingError:
                    continue  # a checked package has none; an old one keeps running without it
    return found


_listeners: list[Callable[[OpenedMeeting], None]] = []


def on_opened(listener: Callable[[OpenedMeeting], None]) -> None:
    """Call ``listener`` (in the saving transaction) for each meeting step that becomes ready.
    Registering the same function again changes nothing."""
    if listener not in _listeners:
        _listeners.append(listener)


def announce(instance, meetings: dict, new_rows: list[dict], opened_at: datetime) -> None:
    """Tell the listeners about the new task rows that are meeting steps."""
    if not meetings or not _listeners:
        return
    for row in new_rows:
        spec = meetings.get(row["element_id"])
        if spec is None:
            continue
        starts = opened_at + spec.start_after
        opened = OpenedMeeting(row["id"], instance.id, row["element_id"], instance.subject_id, instance.owner_id,
                               instance.unit_id, spec.kind, starts, starts + spec.duration)
        for listener in list(_listeners):
            listener(opened)
