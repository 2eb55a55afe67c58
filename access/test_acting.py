"""A designer in a test run acts as its test resident or its test clinician (R21, R22).

The designer stays signed in as themself; the server session row says whom they act as
(``acting_*``). Every request then gets the test person's principal, so the real resident and
clinician screens serve the test run, marked TEST, under the same rules as for anyone: a test
resident sees only test programs, the test clinician only test residents on the test unit. The
rights are checked again on every request: once the designer no longer may use the design tool,
or the person is not a test person, they are themself again.

The test clinician works on the publisher unit's test unit: the instance's ``unit_id`` is the
publisher unit's id, which no care unit shares, so no real task list or statistics ever counts it.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from engine.db import db
from access.models import Assignment, PublisherUnit, Resident, RoleGrant, ServerSession, Staff, Unit

KINDS = ("resident", "staff")
TEST_PURPOSE = "test_run"


def begin(session: ServerSession, kind: str, person_id: str, unit_id: str, run_id: str) -> None:
    """From the next request on, ``session`` acts as the test person (the caller has checked the
    designer may; ``principal_for`` checks again on every request)."""
    if kind not in KINDS:
        raise ValueError(f"cannot act as {kind!r}")
    session.acting_kind, session.acting_id = kind, person_id
    session.acting_unit_id, session.acting_run_id = unit_id, run_id


def end(session: ServerSession) -> None:
    session.acting_kind = session.acting_id = session.acting_unit_id = session.acting_run_id = None


def principal_for(designer, session: ServerSession, may_design):
    """The test person's principal for a designer's session that acts as one, else None.
    ``may_design(principal)`` is the policy's check that the designer may use the design tool."""
    if not session.acting_id or designer is None or not may_design(designer):
        return None
    if session.acting_unit_id not in designer.scopes("designer", "publisher_unit"):
        return None  # a test unit of a publisher unit they no longer design for
    if session.acting_kind == "resident":
        return _as_resident(designer, session)
    if session.acting_kind == "staff":
        return _as_clinician(designer, session)
    return None


def _as_resident(designer, session):
    resident = db.session.get(Resident, session.acting_id)
    if resident is None or not resident.is_test:
        return None
    return replace(designer, kind="resident", id=resident.id, display_name=resident.display_name,
                   assignment=None, grants=[], roles={"invanare"}, resident=resident, is_test=True,
                   assignment_ended=False, scope_instance_id=None, acting_for=designer.id,
                   acting_run_id=session.acting_run_id)


def _as_clinician(designer, session):
    staff = db.session.get(Staff, session.acting_id)
    publisher_unit = db.session.get(PublisherUnit, session.acting_unit_id)
    if staff is None or not staff.is_test or not staff.active or publisher_unit is None:
        return None
    unit = test_unit(publisher_unit)
    # Transient rows, never added to the session: the test clinician's assignment and grant exist
    # for this request only and name the test unit, which is no care unit.
    assignment = Assignment(id=None, staff_id=staff.id, unit_id=unit.id, purpose=TEST_PURPOSE,
                            valid_from=unit.valid_from, valid_to=None, revoked_at=None, unit=unit)
    grant = RoleGrant(id=None, staff_id=staff.id, role="behandlare", scope_type="unit", scope_id=unit.id)
    return replace(designer, kind="staff", id=staff.id, display_name=staff.display_name, assignment=assignment,
                   grants=[grant], roles={"behandlare"}, resident=None, is_test=True, assignment_ended=False,
                   scope_instance_id=None, acting_for=designer.id, acting_run_id=session.acting_run_id)


def test_unit(publisher_unit: PublisherUnit) -> Unit:
    """The publisher unit's test unit, as a transient row: where its test runs' clinician steps are."""
    return Unit(id=publisher_unit.id, care_provider_id=None, hsa_id=f"TEST-{publisher_unit.hsa_id}",
                name=f"TEST – {publisher_unit.name}", kind="test", valid_from=date(2000, 1, 1), valid_to=None,
                active=True, care_provider=None)
