"""The one place that decides access to residents' data. Deny by default; every decision about a
resident's data writes a PDL row, allowed or denied, in the caller's transaction."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

import engine
from engine.db import db
from access import blocks, pdl
from access.models import Resident
from access.principal import Principal
from access.staff_rights import DESIGN_ROLES, may_use_design_tool

CARE_ROLES = ("behandlare", "invanaradmin")


class Blocked(Exception):
    """A read refused by the resident's spärr; the web answers with the page offering emergency access."""

    def __init__(self, resident_id: str):
        super().__init__(resident_id)
        self.resident_id = resident_id


@dataclass(frozen=True)
class Decision:
    allowed: bool
    role: str | None = None
    basis: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Known:
    """What deciding about a page of residents needs, fetched in three queries for all of them,
    so a list page decides each resident by the same rules without a query per row."""

    related: frozenset  # residents with a program on the principal's unit
    blocked: frozenset  # residents whose spärr stands in the way on that unit
    emergency: frozenset  # of those, the ones this clinician opened with emergency access

    @classmethod
    def about(cls, principal: Principal, resident_ids) -> Known:
        ids, unit_id = set(resident_ids), principal.unit_id
        blocked = blocks.blocked_among(ids, unit_id, principal.care_provider_id)
        return cls(engine.subjects_with_program_on(ids, unit_id) if unit_id else frozenset(), blocked,
                   blocks.emergency_open_among(principal.id, unit_id, blocked))


def resident_decision(principal: Principal | None, resident: Resident, known: Known | None = None) -> Decision:
    return block_decision(principal, resident.id, care_decision(principal, resident, known), known)


def block_decision(principal: Principal | None, resident_id: str, decision: Decision,
                   known: Known | None = None) -> Decision:
    """A care relation yields to the resident's spärr at another unit of the same care provider,
    unless this clinician opened it with emergency access (and then every read says so)."""
    if not decision.allowed or decision.basis != "care_relation":
        return decision
    blocked = (resident_id in known.blocked if known else
               blocks.blocked_for(resident_id, principal.unit_id, principal.care_provider_id))
    if not blocked:
        return decision
    opened = (resident_id in known.emergency if known else
              blocks.emergency_open_for(principal.id, principal.unit_id, resident_id) is not None)
    if opened:
        return Decision(True, decision.role, "emergency")
    return Decision(False, decision.role, reason=blocks.BLOCK_REASON)


def care_decision(principal: Principal | None, resident: Resident, known: Known | None = None) -> Decision:
    """Who may see the resident, before any spärr."""
    if principal is None:
        return Decision(False, reason="not signed in")
    if principal.kind in ("resident", "child"):
        return Decision(principal.id == resident.id, "invanare", "self", None if principal.id == resident.id
                        else "another resident's data")
    if principal.assignment_ended:
        return Decision(False, reason="the assignment or unit is no longer valid")
    if resident.is_test and principal.acting_for is not None:
        # A designer acting as a test run's clinician: the test residents with a run on the test unit.
        related = has_care_relation(resident.id, principal.unit_id)
        return Decision(related, "behandlare", "test_run" if related else None,
                        None if related else "no test run for this resident on the test unit")
    if resident.is_test:
        role = next((r for r in DESIGN_ROLES if principal.has(r)), None)
        if role and may_use_design_tool(principal):
            return Decision(True, role, "test_resident")
        return Decision(False, reason="test residents are for design and test runs only")
    role = next((r for r in CARE_ROLES if principal.has(r)), None)
    if role is None:
        return Decision(False, reason="no care role on the active assignment")
    if principal.is_test:
        return Decision(False, reason="test staff never see real residents")
    related = resident.id in known.related if known else has_care_relation(resident.id, principal.unit_id)
    if related:
        return Decision(True, role, "care_relation")
    return Decision(False, role, reason="no program for this resident on your unit")


def has_care_relation(resident_id: str, unit_id: str | None) -> bool:
    if unit_id is None:
        return False
    return engine.has_program_on(resident_id, unit_id)


def read_resident(principal: Principal | None, resident_id: str, *, action: str = "read",
                  resource_type: str = "resident", resource_id: str | None = None,
                  request_id: str | None = None, refuse_as: str | None = None) -> Resident | None:
    """The resident if the principal may see them; either way one PDL row is written.
    ``refuse_as``: the caller knows the answer is no (e.g. no such program); this is the reason."""
    resident = db.session.get(Resident, resident_id)
    if principal is None:
        return None
    if resident is None:
        log_decision(principal, None, request_id, action, resource_type, resource_id or resident_id,
             Decision(False, reason="no such resident"))
        return None
    decision = resident_decision(principal, resident)
    if refuse_as:
        decision = Decision(False, decision.role, reason=refuse_as)
    log_decision(principal, resident.id, request_id, action, resource_type, resource_id or resident.id, decision)
    _raise_if_blocked(resident.id, decision)
    return resident if decision.allowed else None


def _raise_if_blocked(resident_id: str, decision: Decision) -> None:
    """After the denied row is written: a spärr gets its own answer, with the emergency option."""
    if not decision.allowed and decision.reason == blocks.BLOCK_REASON:
        raise Blocked(resident_id)


def may_open_emergency(principal: Principal | None, resident_id: str) -> Resident | None:
    """The resident whose spärr a clinician may open with emergency access: in their care, but
    blocked from their unit. None otherwise (nothing to open, or no right to)."""
    resident = db.session.get(Resident, resident_id)
    if resident is None or principal is None or principal.kind != "staff" or not principal.has("behandlare"):
        return None
    decision = care_decision(principal, resident)
    if not decision.allowed or decision.basis != "care_relation":
        return None
    return resident if blocks.blocked_for(resident.id, principal.unit_id, principal.care_provider_id) else None


def read_program(principal: Principal | None, resident_id: str, instance_id: str, *,
                 request_id: str | None = None) -> tuple[Resident, object] | None:
    """A clinician's look at one program of one resident: (resident, instance) if allowed, else None.
    The PDL row is written on the resident the program belongs to, whatever the address says, so a
    probe with another resident's program under one's own resident is logged on the right person."""
    if principal is None:
        return None
    instance = engine.instance(instance_id)
    if instance is None or instance.subject_id is None:
        read_resident(principal, resident_id, resource_type="process_instance", resource_id=instance_id,
                      request_id=request_id, refuse_as="no such program")
        return None
    owner = db.session.get(Resident, instance.subject_id)
    if owner is None:
        return None
    decision = resident_decision(principal, owner)
    if instance.subject_id != resident_id:
        decision = Decision(False, decision.role, reason="the program is another resident's")
    elif decision.allowed and instance.unit_id != principal.unit_id:
        decision = Decision(False, decision.role, reason="the program is another unit's")
    log_decision(principal, owner.id, request_id, "read", "process_instance", instance.id, decision)
    _raise_if_blocked(owner.id, decision)
    return (owner, instance) if decision.allowed else None


def own_program_decision(principal: Principal, instance) -> Decision:
    """May a resident (or a child, within the program their code is for) see this program?"""
    if principal.kind not in ("resident", "child"):
        return Decision(False, reason="residents only")
    if instance.subject_id != principal.id:
        return Decision(False, "invanare", reason="another resident's data")
    if instance.is_test != principal.is_test:  # a test run is seen only by its test resident
        return Decision(False, "invanare", reason="test runs are for design and test residents only")
    if not principal.may_see_instance(instance.id):
        return Decision(False, "invanare", reason="outside the program the one-time code is for")
    return Decision(True, "invanare", "self")


def read_own_program(principal: Principal | None, instance_id: str, *, resource_type: str = "process_instance",
                     resource_id: str | None = None, request_id: str | None = None):
    """The resident's own program if they may see it, else None. The PDL row goes on the resident
    the program belongs to (allowed or denied); an unknown id concerns nobody and writes none."""
    instance = engine.instance(instance_id)
    if principal is None or instance is None or instance.subject_id is None:
        return None
    decision = own_program_decision(principal, instance)
    log_decision(principal, instance.subject_id, request_id, "read", resource_type, resource_id or instance.id, decision)
    return instance if decision.allowed else None


def own_task_decision(principal: Principal, task, subject_id: str | None) -> Decision:
    """May a resident (or a child, within their code's program) see or do this step?"""
    if principal.kind not in ("resident", "child"):
        return Decision(False, reason="residents only")
    if subject_id != principal.id or task.role != "invanare" or task.assignee_id != principal.id:
        return Decision(False, "invanare", reason="another resident's data" if subject_id != principal.id
                        else "a step for someone else")
    if not principal.may_see_instance(task.instance_id):
        return Decision(False, "invanare", reason="outside the program the one-time code is for")
    return Decision(True, "invanare", "self")


def read_own_task(principal: Principal, details, *, action: str = "read", request_id: str | None = None) -> bool:
    """Whether the resident may open (or do) the step; one PDL row on the step's resident."""
    decision = own_task_decision(principal, details.task, details.subject_id)
    log_decision(principal, details.subject_id, request_id, action, "human_task", details.task.id, decision)
    return decision.allowed


def record_denied(principal: Principal, resident_id: str | None, *, resource_type: str, resource_id: str | None,
                  reason: str, action: str = "read", role: str | None = None,
                  request_id: str | None = None) -> None:
    """The denied PDL row of an attempt a view refused before asking about the resident."""
    log_decision(principal, resident_id, request_id, action, resource_type, resource_id, Decision(False, role, reason=reason))


def visible_residents(principal: Principal | None, request_id: str | None = None,
                      search: str | None = None) -> list[Resident]:
    """The residents a list may show; each one shown is logged (list, or search_hit when searching)."""
    if principal is None or principal.kind != "staff" or principal.assignment_ended:
        return []
    if principal.acting_for is not None:  # the test clinician of a test run: its test residents
        stmt = (select(Resident).where(Resident.is_test.is_(True))
                .where(Resident.id.in_(sorted(engine.subjects_on_unit(principal.unit_id)))))
    elif any(principal.has(r) for r in DESIGN_ROLES) and may_use_design_tool(principal) and not any(
            principal.has(r) for r in CARE_ROLES):
        stmt = select(Resident).where(Resident.is_test.is_(True))
    elif any(principal.has(r) for r in CARE_ROLES) and not principal.is_test:
        stmt = (select(Resident).where(Resident.is_test.is_(False))
                .where(Resident.id.in_(sorted(engine.subjects_on_unit(principal.unit_id)))))
    else:
        return []
    if search:
        term = f"%{search.strip().lower()}%"
        digits = "".join(ch for ch in search if ch.isdigit())
        condition = db.func.lower(Resident.given_name + " " + Resident.family_name).like(term)
        if len(digits) >= 6:
            condition = condition | Resident.personnummer.like(f"%{digits}%")
        stmt = stmt.where(condition)
    residents = list(db.session.scalars(stmt.order_by(Resident.family_name, Resident.given_name).limit(200)))
    known = Known.about(principal, [r.id for r in residents])
    decided = [(resident, resident_decision(principal, resident, known)) for resident in residents]
    action = "search_hit" if search else "list"
    _log_many(principal, request_id, [(r.id, action, "resident", r.id, d) for r, d in decided])
    return [r for r, d in decided if d.reason != blocks.BLOCK_REASON]  # a resident behind a spärr is left out


@dataclass(frozen=True)
class Look:
    """One resident a list page would show, and as what."""

    resident_id: str
    resource_type: str
    resource_id: str | None = None


def list_residents(principal: Principal, looks: list[Look], request_id: str | None = None) -> dict[str, Resident]:
    """The residents of a list page the principal may see, by id; every look is logged (``list``,
    allowed or denied) in one batch. Unlike a single read, a spärr hides the resident from the
    list instead of answering with the emergency-access page."""
    residents = {r.id: r for r in db.session.scalars(
        select(Resident).where(Resident.id.in_({look.resident_id for look in looks})))}
    known = Known.about(principal, residents)
    decisions = {rid: resident_decision(principal, resident, known) for rid, resident in residents.items()}
    missing = Decision(False, reason="no such resident")
    _log_many(principal, request_id, [
        (look.resident_id if look.resident_id in residents else None, "list", look.resource_type,
         look.resource_id or look.resident_id, decisions.get(look.resident_id, missing)) for look in looks])
    return {rid: residents[rid] for rid, decision in decisions.items() if decision.allowed}


def _log_many(principal, request_id, rows) -> None:
    """PDL rows for (resident id, action, resource type, resource id, decision) tuples, one batch."""
    pdl.record_many([(principal.access_context(decision.role, request_id),
                      pdl.Access(action, resource_type, resource_id, resident_id,
                                 "allowed" if decision.allowed else "denied", decision.reason, decision.basis))
                     for resident_id, action, resource_type, resource_id, decision in rows])


def log_decision(principal, resident_id, request_id, action, resource_type, resource_id,
                 decision: Decision) -> None:
    pdl.record(principal.access_context(decision.role, request_id), action=action, resource_type=resource_type,
               resource_id=resource_id, resident_id=resident_id,
               outcome="allowed" if decision.allowed else "denied", reason=decision.reason,
               access_basis=decision.basis)
