"""What may be done to a whole program, and with which choices: pause, resume, end, hand over to
another unit of the same care provider, change the responsible clinician. ``access.policy``
decides who may; the program's status decides what is possible; the catalogue says where the
program may go. The page translates the reasons and writes the PDL row."""
from __future__ import annotations

from dataclasses import dataclass

import catalogue
import engine
from access import directory, policy, program_policy
from catalogue.models import CatalogueEntry
from engine.db import db

CLINICIAN_ROLE = "behandlare"


@dataclass(frozen=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True)
class UnitChoice:
    """A unit the program may be handed over to, with who could be responsible there."""

    id: str
    name: str
    clinicians: tuple[Person, ...]


def available_actions(principal, instance) -> dict:
    """The forms the program page shows: action -> its choices, only for what the principal may
    do to the instance in its present status. Writes no PDL row (the page has written one)."""
    def allowed(action):
        return program_policy.program_action_decision(principal, instance, action).allowed

    status, actions = instance.status, {}
    if status == "running" and allowed("pause"):
        actions["pause"] = {}
    if status == "paused" and allowed("resume"):
        actions["resume"] = {}
    if status == "running" and allowed("named_action") and (waiting := engine.waiting_actions(instance.id)):
        actions["named_action"] = {"actions": waiting}  # buttons the BPMN waits for (vardflode.action.<name>)
    if status not in engine.OPEN_STATUSES:
        return actions
    if allowed("end"):
        actions["end"] = {"reasons": list(engine.END_REASONS)}
    if allowed("hand_over") and (units := handover_choices(instance)):
        actions["hand_over"] = {"units": units}
    if allowed("reassign") and (clinicians := clinician_choices(instance)):
        actions["reassign"] = {"clinicians": clinicians}
    return actions


def clinician_choices(instance) -> list[Person]:
    """Clinicians on the instance's unit who could take over (not the one responsible now)."""
    return [Person(s.id, s.display_name) for s in directory.staff_holding(CLINICIAN_ROLE, instance.unit_id)
            if s.id != instance.owner_id]


def handover_choices(instance) -> list[UnitChoice]:
    """Open units of the same care provider where this program is activated (R25)."""
    entry = db.session.get(CatalogueEntry, instance.version_hash)
    if entry is None:  # not a catalogue program (a test run): nowhere to hand it over to
        return []
    return [UnitChoice(unit.id, unit.name, tuple(Person(s.id, s.display_name)
                                                 for s in directory.staff_holding(CLINICIAN_ROLE, unit.id)))
            for unit in program_policy.handover_units(instance.unit_id)
            if catalogue.active(entry.program_key, unit.id) is not None]
