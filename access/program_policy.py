"""Decisions about a whole program instance: who may pause, resume, end or hand over a program,
change its responsible clinician or press a named action it waits for, and where it may be
handed over to. Like every decision about a resident's data, each writes its PDL row; the
resident's spärr applies as in ``access.policy``."""
from __future__ import annotations

from sqlalchemy import select

from engine import clock
from engine.db import db
from access.models import Unit
from access.policy import Decision, block_decision, log_decision
from access.principal import Principal

# What may be done to a whole program instance (engine.lifecycle).
# "confirm_journal": the essentials of an ended program are in the record (R46, purging/).
PROGRAM_ACTIONS = ("pause", "resume", "end", "hand_over", "reassign", "named_action", "confirm_journal")


def program_action_decision(principal: Principal | None, instance, action: str) -> Decision:
    """The program action's decision, after the resident's spärr (see ``_program_action_decision``)."""
    decision = _program_action_decision(principal, instance, action)
    if instance.subject_id is None:
        return decision
    return block_decision(principal, instance.subject_id, decision)


def _program_action_decision(principal: Principal | None, instance, action: str) -> Decision:
    """May the principal pause, resume, end or hand over this program instance, or change its
    responsible clinician? Deny by default.

    A clinician (behandlare) on the instance's unit may do the first four, and press a named action
    the program waits for, whether or not they are the responsible one: colleagues cover for each other. Changing the responsible clinician
    is the unit's resident administrator's (absence handling) or the responsible clinician's own.
    """
    if action not in PROGRAM_ACTIONS:
        raise ValueError(f"unknown program action {action!r}")
    if principal is None:
        return Decision(False, reason="not signed in")
    if principal.kind != "staff":
        return Decision(False, reason="staff only")
    if principal.assignment_ended:
        return Decision(False, reason="the assignment or unit is no longer valid")
    if principal.is_test or instance.is_test:
        return Decision(False, reason="test runs are not managed here")
    if instance.unit_id is None or instance.unit_id != principal.unit_id:
        return Decision(False, reason="no program for this resident on your unit")
    if action == "reassign":
        if principal.has("invanaradmin"):
            return Decision(True, "invanaradmin", "care_relation")
        if principal.has("behandlare") and principal.id == instance.owner_id:
            return Decision(True, "behandlare", "care_relation")
        return Decision(False, reason="only the responsible clinician or the resident administrator")
    if principal.has("behandlare"):
        return Decision(True, "behandlare", "care_relation")
    return Decision(False, reason="needs the clinician role on the program's unit")


def record_program_action(principal: Principal, instance, decision: Decision, *, action: str,
                          request_id: str | None = None) -> None:
    """The PDL row for a look at (``read``) or a change of (``update``) a program instance."""
    log_decision(principal, instance.subject_id, request_id, action, "process_instance", instance.id, decision)


def handover_units(from_unit_id: str) -> list[Unit]:
    """Where a program may be handed over to: the other open units of the same care provider.
    A program never crosses the care provider boundary. (Whether the program is activated on
    a unit is the catalogue's to say.)"""
    source = db.session.get(Unit, from_unit_id)
    if source is None:
        return []
    today = clock.local_today()
    units = db.session.scalars(select(Unit).where(Unit.care_provider_id == source.care_provider_id,
                                                  Unit.id != source.id).order_by(Unit.name)).all()
    return [unit for unit in units if unit.is_open(today)]
