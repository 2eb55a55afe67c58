"""Creating and changing organisations and people. Every rule that protects the boundary between
care providers lives here, and every change to who may do what leaves a security event."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import and_, func, select

from engine import ROLES, clock
from engine.db import db
from access import personnummer, security_log
from access.models import (Assignment, CareProvider, PublisherUnit, Resident, RoleGrant, ServerSession,
                           Staff, Unit)

UNIT_ROLES = {"behandlare", "invanaradmin", "behorighetsadmin", "loggranskare"}
PROVIDER_ROLES = {"vardgivaradmin", "loggranskare"}
PUBLISHER_ROLES = {"designer", "utgivare"}
PLATFORM_ROLES = {"nationell_forvaltning", "forvaltningsledare"}
NATIONAL, LEAD = "nationell_forvaltning", "forvaltningsledare"
SCOPES = {"unit": UNIT_ROLES, "care_provider": PROVIDER_ROLES, "publisher_unit": PUBLISHER_ROLES,
          "platform": PLATFORM_ROLES}


class DirectoryError(ValueError):
    """A change was refused. ``code`` and ``params`` say why, for the web layer to word in the
    visitor's language (web.shell.refusals); the message says it in English, for logs and tests."""

    def __init__(self, message: str, code: str = "refused", **params):
        super().__init__(message)
        self.code = code
        self.params = params


# A HSA-id: the country code SE, the organisation number that issued it (10 digits; 12 when it is
# written with the prefix 16 for a legal person, as some issuers do), a hyphen, and an identifier
# of 1-31 letters A-Z and digits: SE2321000016-ABCD.
HSA_PATTERN = re.compile(r"SE(?:16)?\d{10}-[A-Z0-9]{1,31}")
HSA_EXAMPLE = "SE2321000016-ABCD"


def valid_hsa_id(value: str) -> bool:
    return HSA_PATTERN.fullmatch(value) is not None


def _hsa(value: str, what: str) -> str:
    value = (value or "").strip().upper()
    if not value:
        raise DirectoryError(f"{what}: a HSA-id is required (e.g. {HSA_EXAMPLE})", "hsa_required")
    if not valid_hsa_id(value):
        raise DirectoryError(f"{what}: {value[:80]} is not a HSA-id: SE, a 10-digit organisation number, a hyphen "
                             f"and 1-31 letters or digits (e.g. {HSA_EXAMPLE})", "hsa_format", hsa_id=value)
    return value


def checked_hsa_id(value: str, what: str = "staff member") -> str:
    """The HSA-id upper-cased, or a DirectoryError (hsa_required, hsa_format) saying why not."""
    return _hsa(value, what)


def _hsa_taken(hsa_id: str) -> bool:
    return any(db.session.scalar(select(model.id).where(model.hsa_id == hsa_id))
               for model in (CareProvider, Unit, PublisherUnit, Staff))


def hsa_in_use(hsa_id: str) -> bool:
    """Whether anything on the platform (care provider, unit, publisher unit, staff) has the HSA-id:
    forms check it before anything is created (onboarding)."""
    return _hsa_taken(hsa_id)


def _free(hsa_id: str) -> str:
    """No HSA-id is used twice on the platform, whatever it names."""
    if _hsa_taken(hsa_id):
        raise DirectoryError(f"the HSA-id {hsa_id} is already in use", "hsa_taken", hsa_id=hsa_id)
    return hsa_id


def _added(row, event: str | None = None):
    """Add and flush (so the row has its id); creating an organisation is a security event."""
    db.session.add(row)
    db.session.flush()
    if event:
        security_log.event(event, "ok", subject=row.id)
    return row


def create_care_provider(hsa_id: str, name: str, kind: str = "region") -> CareProvider:
    hsa_id = _free(_hsa(hsa_id, "care provider"))
    return _added(CareProvider(hsa_id=hsa_id, name=name.strip(), kind=kind), "care_provider_created")


def create_unit(provider: CareProvider, hsa_id: str, name: str, valid_from: date | None = None,
                valid_to: date | None = None) -> Unit:
    hsa_id = _hsa(hsa_id, "unit")
    if hsa_id == provider.hsa_id:  # R38, said plainly before the general "already in use"
        raise DirectoryError("a unit may not have the same HSA-id as its care provider", "unit_shares_provider_hsa")
    unit = Unit(care_provider_id=provider.id, hsa_id=_free(hsa_id), name=name.strip(),
                valid_from=valid_from or clock.local_today(), valid_to=valid_to)
    return _added(unit, "unit_created")


def set_unit_active(unit: Unit, active: bool, actor_id: str) -> None:
    unit.active = active
    security_log.event("unit_activated" if active else "unit_deactivated", "ok", actor_type="staff",
                       actor_id=actor_id, subject=unit.id)


def create_publisher_unit(hsa_id: str, name: str, training: bool = False) -> PublisherUnit:
    hsa_id = _free(_hsa(hsa_id, "publisher unit"))
    return _added(PublisherUnit(hsa_id=hsa_id, name=name.strip(), training=training), "publisher_unit_created")


def create_staff(hsa_id: str, given_name: str, family_name: str, *, email: str | None = None,
                 password_hash: str | None = None, totp_secret: str | None = None, is_test: bool = False) -> Staff:
    hsa_id = _free(_hsa(hsa_id, "staff member"))  # R14: staff are known by HSA-id
    return _added(Staff(hsa_id=hsa_id, given_name=given_name.strip(), family_name=family_name.strip(), email=email,
                        password_hash=password_hash, totp_secret=totp_secret, is_test=is_test))


def register_staff(hsa_id: str, given_name: str, family_name: str, email: str | None, actor_id: str) -> Staff:
    """An administrator adds a member of staff: both names, a free HSA-id, and an e-mail address
    nobody else signs in with (the password step finds the account by HSA-id or e-mail, so two
    people sharing one would make it name either). The addition is a security event."""
    for field_name, value in (("given_name", given_name), ("family_name", family_name)):
        if not (value or "").strip():
            raise DirectoryError(f"{field_name}: required", "name_required", field=field_name)
    hsa_id = _hsa(hsa_id, "staff member")
    existing = staff_by_hsa_id(hsa_id)
    if existing is not None:  # said apart from "in use": the page offers an assignment instead
        raise DirectoryError(f"a staff member with the HSA-id {hsa_id} exists", "staff_exists", hsa_id=hsa_id,
                             staff_id=existing.id)
    email = (email or "").strip() or None
    if email and db.session.scalar(select(Staff.id).where(func.lower(Staff.email) == email.lower())):
        raise DirectoryError("another staff member has this e-mail address", "email_taken", field="email")
    staff = create_staff(hsa_id, given_name, family_name, email=email)
    security_log.event("staff_created", "ok", actor_type="staff", actor_id=actor_id, subject=staff.id)
    return staff


def staff_by_hsa_id(hsa_id: str) -> Staff | None:
    return db.session.scalar(select(Staff).where(Staff.hsa_id == (hsa_id or "").strip().upper()))


ASSIGNMENT_PURPOSES = ("vard_och_behandling", "administration")


def check_assignment_terms(purpose: str, valid_from: date, valid_to: date | None) -> None:
    """The terms of a new assignment, checked before anything is written. It may not start in the
    past: an assignment dated back would make earlier accesses look as if they had been allowed."""
    if purpose not in ASSIGNMENT_PURPOSES:
        raise DirectoryError(f"unknown purpose {purpose[:40]}", "purpose_unknown", field="purpose")
    if valid_from < clock.local_today():
        raise DirectoryError("an assignment cannot start before today", "assignment_starts_in_past",
                             field="valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise DirectoryError("an assignment cannot end before it starts", "assignment_ends_before_start",
                             field="valid_to")


def create_assignment(staff: Staff, unit: Unit, purpose: str, valid_from: date | None, valid_to: date | None,
                      actor_id: str) -> Assignment:
    """An administrator gives a member of staff a medarbetaruppdrag on a unit. One person holds at
    most one assignment per unit and purpose at a time, so ending one really ends that access."""
    valid_from = valid_from or clock.local_today()
    check_assignment_terms(purpose, valid_from, valid_to)
    if not staff.active:
        raise DirectoryError("the staff member is deactivated", "staff_inactive", field="staff_hsa_id")
    if any(_overlaps(other, valid_from, valid_to) for other in _assignments_of(staff, unit, purpose)):
        raise DirectoryError("the staff member already has an assignment for this purpose then",
                             "assignment_overlaps", field="valid_from")
    return add_assignment(staff, unit, purpose, valid_from, valid_to, actor_id=actor_id)


def _assignments_of(staff: Staff, unit: Unit, purpose: str) -> list[Assignment]:
    return list(db.session.scalars(select(Assignment).where(
        Assignment.staff_id == staff.id, Assignment.unit_id == unit.id, Assignment.purpose == purpose,
        Assignment.revoked_at.is_(None))))


def _overlaps(assignment: Assignment, valid_from: date, valid_to: date | None) -> bool:
    starts_before_other_ends = assignment.valid_to is None or valid_from <= assignment.valid_to
    ends_after_other_starts = valid_to is None or assignment.valid_from <= valid_to
    return starts_before_other_ends and ends_after_other_starts


def assignment_state(assignment: Assignment, today: date) -> str:
    """"ended" (revoked, or past its last day), "not_yet_valid" or "valid", for lists."""
    if assignment.revoked_at is not None or (assignment.valid_to is not None and assignment.valid_to < today):
        return "ended"
    return "not_yet_valid" if assignment.valid_from > today else "valid"


def end_assignment(assignment: Assignment, actor_id: str) -> int:
    """End a medarbetaruppdrag now (revoked, its sessions ended). An access administrator cannot
    end their own assignment on a unit where they hold that role: it would lock them out, and a
    second administrator should decide it. The refusal is a security event."""
    if assignment.staff_id == actor_id and _holds_unit_role(actor_id, "behorighetsadmin", assignment.unit_id):
        security_log.event("assignment_end_refused", "denied", actor_type="staff", actor_id=actor_id,
                           subject=assignment.id, detail="own assignment carrying behorighetsadmin")
        raise DirectoryError("you cannot end your own assignment as access administrator", "own_admin_assignment")
    if assignment.revoked_at is not None:
        return 0
    ended_sessions = revoke_assignment(assignment, actor_id)
    if not _other_assignment_on_unit(assignment):
        _revoke_unit_roles(assignment.staff_id, assignment.unit_id, actor_id)
    return ended_sessions


def _other_assignment_on_unit(assignment: Assignment) -> bool:
    """Whether the person keeps a current or coming assignment on the unit besides this one."""
    today = clock.local_today()
    others = db.session.scalars(select(Assignment).where(
        Assignment.staff_id == assignment.staff_id, Assignment.unit_id == assignment.unit_id,
        Assignment.id != assignment.id, Assignment.revoked_at.is_(None)))
    return any(assignment_state(other, today) != "ended" for other in others)


def _revoke_unit_roles(staff_id: str, unit_id: str, actor_id: str) -> None:
    """The unit's roles go with the person's last assignment there. Left in place they would be
    out of sight (the permissions page lists people with a valid assignment only) and would come
    back unasked with the next assignment."""
    grants = db.session.scalars(select(RoleGrant).where(
        RoleGrant.staff_id == staff_id, RoleGrant.scope_type == "unit", RoleGrant.scope_id == unit_id,
        RoleGrant.revoked_at.is_(None)))
    for grant in grants:
        revoke_role(grant, revoked_by=actor_id)


def _holds_unit_role(staff_id: str, role: str, unit_id: str) -> bool:
    return db.session.scalar(select(RoleGrant.id).where(
        RoleGrant.staff_id == staff_id, RoleGrant.role == role, RoleGrant.scope_type == "unit",
        RoleGrant.scope_id == unit_id, RoleGrant.revoked_at.is_(None))) is not None


def add_assignment(staff: Staff, unit: Unit, purpose: str = "vard_och_behandling",
                   valid_from: date | None = None, valid_to: date | None = None, actor_id: str = "system") -> Assignment:
    assignment = Assignment(staff_id=staff.id, unit_id=unit.id, purpose=purpose,
                            valid_from=valid_from or clock.local_today(), valid_to=valid_to)
    db.session.add(assignment)
    db.session.flush()
    security_log.event("assignment_added", "ok", actor_type="staff", actor_id=actor_id, subject=assignment.id)
    return assignment


def staff_holding(role: str, unit_id: str) -> list[Staff]:
    """Real, active staff who hold ``role`` on the unit through an assignment there that is valid
    today (the unit open too): who can take a program over, who hears about an escalation."""
    today = clock.local_today()
    found = db.session.execute(
        select(Staff, Assignment)
        .join(RoleGrant, and_(RoleGrant.staff_id == Staff.id, RoleGrant.role == role,
                              RoleGrant.scope_type == "unit", RoleGrant.scope_id == unit_id,
                              RoleGrant.revoked_at.is_(None)))
        .join(Assignment, and_(Assignment.staff_id == Staff.id, Assignment.unit_id == unit_id))
        .where(Staff.active.is_(True), Staff.is_test.is_(False))).tuples().all()
    staff = {member.id: member for member, assignment in found if assignment.is_valid(today)}
    return sorted(staff.values(), key=lambda s: (s.family_name, s.given_name, s.id))


def revoke_assignment(assignment: Assignment, actor_id: str) -> int:
    """Revoke a medarbetaruppdrag and end every session signed in on it; returns how many ended."""
    now = clock.now()
    assignment.revoked_at = now
    sessions = db.session.scalars(select(ServerSession).where(
        ServerSession.assignment_id == assignment.id, ServerSession.revoked_at.is_(None))).all()
    for session in sessions:
        session.revoked_at = now
    security_log.event("assignment_revoked", "ok", actor_type="staff", actor_id=actor_id, subject=assignment.id,
                       detail=f"{len(sessions)} sessions ended")
    return len(sessions)


def grant_role(staff: Staff, role: str, scope_type: str, scope_id: str | None, granted_by: str) -> RoleGrant:
    """Grant ``role`` on a scope; nobody grants a role to themselves (another administrator, or
    the care provider's administrator, must), and the refusal is a security event."""
    if staff.id == granted_by:
        security_log.event("role_grant_refused", "denied", actor_type="staff", actor_id=granted_by,
                           subject=staff.id, detail=f"{role} on {scope_type}: a grant to oneself")
        raise DirectoryError("nobody grants a role to themselves", "self_grant")
    if role not in ROLES or role not in SCOPES.get(scope_type, set()):
        raise DirectoryError(f"the role {role} cannot be granted on a {scope_type}", "role_not_in_scope", role=role,
                             scope_type=scope_type)
    if role == LEAD and not _holds_platform_role(staff.id, NATIONAL):
        raise DirectoryError("the national management lead is one of national management", "lead_not_national")
    if scope_type == "publisher_unit" and role == "utgivare":
        unit = db.session.get(PublisherUnit, scope_id)
        if unit is None or unit.training:
            raise DirectoryError("a training publisher unit can never publish: no utgivare role there",
                                 "training_never_publishes")
    existing = db.session.scalar(select(RoleGrant).where(
        RoleGrant.staff_id == staff.id, RoleGrant.role == role, RoleGrant.scope_type == scope_type,
        RoleGrant.scope_id == scope_id, RoleGrant.revoked_at.is_(None)))
    if existing is not None:
        return existing
    grant = RoleGrant(staff_id=staff.id, role=role, scope_type=scope_type, scope_id=scope_id, granted_by=granted_by)
    db.session.add(grant)
    db.session.flush()
    security_log.event("role_granted", "ok", actor_type="staff", actor_id=granted_by, subject=grant.id,
                       detail=f"{role} on {scope_type}")
    return grant


def revoke_role(grant: RoleGrant, revoked_by: str) -> None:
    grant.revoked_at, grant.revoked_by = clock.now(), revoked_by
    security_log.event("role_revoked", "ok", actor_type="staff", actor_id=revoked_by, subject=grant.id,
                       detail=f"{grant.role} on {grant.scope_type}")
    if grant.role == NATIONAL:  # whoever leaves national management leads it no more
        for lead in db.session.scalars(select(RoleGrant).where(
                RoleGrant.staff_id == grant.staff_id, RoleGrant.role == LEAD, RoleGrant.revoked_at.is_(None))):
            revoke_role(lead, revoked_by)


def _holds_platform_role(staff_id: str, role: str) -> bool:
    return db.session.scalar(select(RoleGrant.id).where(
        RoleGrant.staff_id == staff_id, RoleGrant.role == role, RoleGrant.scope_type == "platform",
        RoleGrant.revoked_at.is_(None))) is not None


def create_resident(pnr: str, given_name: str, family_name: str, *, protected_identity: bool = False,
                    is_test: bool = False, email: str | None = None, phone: str | None = None) -> Resident:
    try:
        digits = personnummer.normalize(pnr, clock.local_today())
    except personnummer.InvalidPersonnummer as err:
        raise DirectoryError(f"personnummer: {err}", "personnummer", reason=err.code) from None
    if db.session.scalar(select(Resident.id).where(Resident.personnummer == digits)):
        raise DirectoryError("a resident with this personnummer already exists", "resident_exists")
    resident = Resident(personnummer=digits, given_name=given_name.strip(), family_name=family_name.strip(),
                        birth_date=personnummer.birth_date(digits), protected_identity=protected_identity,
                        is_test=is_test, email=email, phone=phone)
    db.session.add(resident)
    db.session.flush()
    return resident


def resident_by_personnummer(pnr: str) -> Resident | None:
    try:
        digits = personnummer.normalize(pnr, clock.local_today())
    except personnummer.InvalidPersonnummer:
        return None
    return db.session.scalar(select(Resident).where(Resident.personnummer == digits))
