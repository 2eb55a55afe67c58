"""National management (nationell förvaltning) as a team: its members, and its lead
(förvaltningsledare), who is one of them and whom escalations reach (an onboarding case no one
has acted on for ten working days, R11/R30).

The lead is a role granted like any other (``access.directory.grant_role``: never to oneself, every
grant and revocation a security event). Until someone is appointed, escalations go to the whole
team rather than to nobody, and national management's pages say so."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select

from access import directory
from access.directory import LEAD, NATIONAL
from access.models import RoleGrant, Staff
from engine.db import db


@dataclass(frozen=True)
class Member:
    staff: Staff
    is_lead: bool
    enrolled: bool  # has chosen a password and connected an authenticator app


def _holding(role: str) -> list[Staff]:
    return list(db.session.scalars(
        select(Staff).join(RoleGrant, and_(RoleGrant.staff_id == Staff.id, RoleGrant.role == role,
                                           RoleGrant.scope_type == "platform", RoleGrant.revoked_at.is_(None)))
        .where(Staff.active.is_(True), Staff.is_test.is_(False)).order_by(Staff.family_name, Staff.given_name)))


def members() -> list[Member]:
    leads = {staff.id for staff in _holding(LEAD)}
    return [Member(staff, staff.id in leads, bool(staff.password_hash and staff.totp_secret))
            for staff in _holding(NATIONAL)]


def team() -> list[Staff]:
    return _holding(NATIONAL)


def leads() -> list[Staff]:
    return _holding(LEAD)


def escalation_recipients() -> list[Staff]:
    """Who an escalation reaches: the lead(s), or the whole team while no lead is appointed."""
    return leads() or team()


def add_member(hsa_id: str, given_name: str, family_name: str, email: str, actor_id: str) -> Staff:
    """A new member of national management: registered (a free HSA-id, an e-mail nobody else
    has) and granted the role by another member. The caller sends the activation link."""
    if not (email or "").strip():
        raise directory.DirectoryError("email: required for the activation link", "email_required", field="email")
    staff = directory.register_staff(hsa_id, given_name, family_name, email, actor_id)
    directory.grant_role(staff, NATIONAL, "platform", None, granted_by=actor_id)
    return staff


def appoint_lead(staff_id: str, actor_id: str) -> RoleGrant:
    staff = _member(staff_id)
    return directory.grant_role(staff, LEAD, "platform", None, granted_by=actor_id)


def end_lead(staff_id: str, actor_id: str) -> None:
    for grant in db.session.scalars(select(RoleGrant).where(
            RoleGrant.staff_id == staff_id, RoleGrant.role == LEAD, RoleGrant.revoked_at.is_(None))):
        directory.revoke_role(grant, actor_id)


def _member(staff_id: str) -> Staff:
    staff = db.session.get(Staff, staff_id)
    if staff is None or staff.id not in {s.id for s in team()}:
        raise directory.DirectoryError("not a member of national management", "lead_not_national")
    return staff
