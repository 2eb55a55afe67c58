"""Who is asking, rebuilt from the database on every request (never cached in the session):
the signed-in person, their active assignment, and the roles that are in force right now."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from engine import Actor, clock
from engine.db import db
from access.directory import PLATFORM_ROLES, PROVIDER_ROLES, PUBLISHER_ROLES, UNIT_ROLES
from access.models import Assignment, PublisherUnit, Resident, RoleGrant, ServerSession, Staff
from access.pdl import AccessContext


@dataclass
class Principal:
    kind: str  # staff | resident | child
    id: str
    display_name: str
    auth_method: str
    session_hash: str
    assignment: Assignment | None = None
    grants: list = field(default_factory=list)
    roles: set = field(default_factory=set)
    resident: Resident | None = None
    is_test: bool = False
    assignment_ended: bool = False
    # A child signed in with a one-time code sees the one program the code was issued for (R43);
    # None for everyone else. A child's code issued without a program opens nothing.
    scope_instance_id: str | None = None
    # A designer acting as a test person in a test run (access/test_acting.py): the designer's id
    # and the run; every page then says TEST. None for everyone signed in as themself.
    acting_for: str | None = None
    acting_run_id: str | None = None

    @property
    def scoped(self) -> bool:
        """Whether this principal may see only one program (a child) rather than all their own."""
        return self.kind == "child"

    def may_see_instance(self, instance_id: str | None) -> bool:
        """For a resident or child: whether the program is in their scope (it must be their own too)."""
        return not self.scoped or (instance_id is not None and instance_id == self.scope_instance_id)

    @property
    def unit_id(self) -> str | None:
        return self.assignment.unit_id if self.assignment else None

    @property
    def care_provider_id(self) -> str | None:
        return self.assignment.unit.care_provider_id if self.assignment else None

    def scopes(self, role: str, scope_type: str) -> set[str]:
        return {g.scope_id for g in self.grants if g.role == role and g.scope_type == scope_type}

    def has(self, role: str) -> bool:
        return role in self.roles

    def access_context(self, role: str | None, request_id: str | None = None) -> AccessContext:
        return AccessContext(
            actor_type=self.kind, actor_id=self.id, actor_name=self.display_name, role=role,
            care_provider_id=self.care_provider_id, unit_id=self.unit_id,
            assignment_id=self.assignment.id if self.assignment else None,
            purpose=self.assignment.purpose if self.assignment else None, request_id=request_id)

    def engine_actor(self) -> Actor:
        """The same grants, in the shape the engine checks again on task completion."""
        if self.kind != "staff":
            return Actor(self.id, frozenset({("invanare", None)}))
        # A publisher unit is where designers' and publishers' steps are (the publishing process,
        # test runs): its ids are opaque like units', so the two never share one.
        return Actor(self.id, frozenset((g.role, g.scope_id) for g in self.grants
                                        if g.scope_type in ("unit", "publisher_unit")))


def for_session(session: ServerSession, *, as_themself: bool = False) -> Principal | None:
    """Who the session is. A designer acting in a test run is the test person, unless
    ``as_themself`` (the design tool's own screens that switch between them)."""
    if session.actor_type == "staff":
        staff = _staff(session)
        if as_themself or not session.acting_id:
            return staff
        from access import staff_rights, test_acting  # both import this module
        return test_acting.principal_for(staff, session, staff_rights.may_use_design_tool) or staff
    resident = db.session.get(Resident, session.actor_id)
    if resident is None:
        return None
    return Principal(kind=session.actor_type, id=resident.id, display_name=resident.display_name,
                     auth_method=session.auth_method, session_hash=session.token_hash, resident=resident,
                     roles={"invanare"}, is_test=resident.is_test,
                     scope_instance_id=session.scope_instance_id if session.actor_type == "child" else None)


def _staff(session: ServerSession) -> Principal | None:
    staff = db.session.get(Staff, session.actor_id)
    if staff is None or not staff.active:
        return None
    today = clock.local_today()
    assignment = db.session.get(Assignment, session.assignment_id) if session.assignment_id else None
    ended = assignment is not None and not assignment.is_valid(today)
    # An assignment that ended or was revoked, or a unit that closed, takes every unit right away
    # at once; the person stays identified so that what they try is still logged as denied.
    grants = [g for g in active_grants(staff.id) if _in_force(g, None if ended else assignment)]
    return Principal(kind="staff", id=staff.id, display_name=staff.display_name, auth_method=session.auth_method,
                     session_hash=session.token_hash, assignment=assignment, grants=grants,
                     roles={g.role for g in grants}, is_test=staff.is_test, assignment_ended=ended)


def active_grants(staff_id: str) -> list[RoleGrant]:
    return list(db.session.scalars(select(RoleGrant).where(RoleGrant.staff_id == staff_id,
                                                           RoleGrant.revoked_at.is_(None))))


def _in_force(grant: RoleGrant, assignment: Assignment | None) -> bool:
    """Unit and provider roles count only through the assignment signed in with."""
    if grant.scope_type == "unit":
        return grant.role in UNIT_ROLES and assignment is not None and grant.scope_id == assignment.unit_id
    if grant.scope_type == "care_provider":
        return (grant.role in PROVIDER_ROLES and assignment is not None
                and grant.scope_id == assignment.unit.care_provider_id)
    if grant.scope_type == "publisher_unit":  # a publisher unit deactivated (R33) counts no more
        publisher_unit = db.session.get(PublisherUnit, grant.scope_id)
        return grant.role in PUBLISHER_ROLES and publisher_unit is not None and publisher_unit.active
    return grant.scope_type == "platform" and grant.role in PLATFORM_ROLES


def valid_assignments(staff_id: str) -> list[Assignment]:
    today = clock.local_today()
    rows = db.session.scalars(select(Assignment).where(Assignment.staff_id == staff_id)).all()
    return [a for a in rows if a.is_valid(today)]
