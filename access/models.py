"""Organisations and people: care providers, units, publisher units, staff, their assignments
(medarbetaruppdrag) and role grants, residents, and the one-time codes children sign in with."""
from __future__ import annotations

import uuid

from engine import clock
from engine.db import UtcDateTime, db


def opaque_id() -> str:
    return uuid.uuid4().hex


class CareProvider(db.Model):
    """A region or private care provider (vårdgivare): the hard boundary nothing crosses."""

    __tablename__ = "care_provider"
    id = db.Column(db.String(32), primary_key=True, default=opaque_id)
    hsa_id = db.Column(db.String(64), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.String(16), nullable=False, default="region")  # region | private
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(UtcDateTime, nullable=False, default=clock.now)


class Unit(db.Model):
    """A care unit (vårdenhet). Once its end date has passed it lets nobody in."""

    __tablename__ = "unit"
    id = db.Column(db.String(32), primary_key=True, default=opaque_id)
    care_provider_id = db.Column(db.String(32), db.ForeignKey("care_provider.id"), nullable=False, index=True)
    hsa_id = db.Column(db.String(64), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.String(32), nullable=False, default="vardenhet")
    valid_from = db.Column(db.Date, nullable=False)
    valid_to = db.Column(db.Date)
    active = db.Column(db.Boolean, nullable=False, default=True)
    care_provider = db.relationship(CareProvider, lazy="joined")

    def is_open(self, today) -> bool:
        return self.active and self.valid_from <= today and (self.valid_to is None or today <= self.valid_to)


class PublisherUnit(db.Model):
    """A unit that designs and publishes programs; a training unit can never publish."""

    __tablename__ = "publisher_unit"
    id = db.Column(db.String(32), primary_key=True, default=opaque_id)
    hsa_id = db.Column(db.String(64), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    training = db.Column(db.Boolean, nullable=False, default=False)
    # False once its organisation's agreement has ended (R33): its grants no longer count.
    active = db.Column(db.Boolean, nullable=False, default=True, server_default=db.true())


class Staff(db.Model):
    """A member of staff, identified by HSA-id (R14). Test staff exist only for design and test runs."""

    __tablename__ = "staff"
    id = db.Column(db.String(32), primary_key=True, default=opaque_id)
    hsa_id = db.Column(db.String(64), nullable=False, unique=True)
    given_name = db.Column(db.String(100), nullable=False)
    family_name = db.Column(db.String(100), nullable=False)
    email = db.Column(db.String(200))
    password_hash = db.Column(db.String(200))
    totp_secret = db.Column(db.String(64))
    totp_last_step = db.Column(db.BigInteger, nullable=False, default=0)
    is_test = db.Column(db.Boolean, nullable=False, default=False)
    active = db.Column(db.Boolean, nullable=False, default=True)

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Assignment(db.Model):
    """A medarbetaruppdrag: staff member, unit, purpose and validity. Unit roles need one."""

    __tablename__ = "assignment"
    id = db.Column(db.String(32), primary_key=True, default=opaque_id)
    staff_id = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False, index=True)
    unit_id = db.Column(db.String(32), db.ForeignKey("unit.id"), nullable=False, index=True)
    purpose = db.Column(db.String(32), nullable=False, default="vard_och_behandling")
    valid_from = db.Column(db.Date, nullable=False)
    valid_to = db.Column(db.Date)
    revoked_at = db.Column(UtcDateTime)
    unit = db.relationship(Unit, lazy="joined")

    def is_valid(self, today) -> bool:
        return (self.revoked_at is None and self.valid_from <= today
                and (self.valid_to is None or today <= self.valid_to) and self.unit.is_open(today))


class RoleGrant(db.Model):
    """A role held in a scope: a unit, a care provider, a publisher unit, or the platform."""

    __tablename__ = "role_grant"
    id = db.Column(db.String(32), primary_key=True, default=opaque_id)
    staff_id = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False, index=True)
    role = db.Column(db.String(32), nullable=False)
    scope_type = db.Column(db.String(16), nullable=False)  # unit | care_provider | publisher_unit | platform
    scope_id = db.Column(db.String(32))
    granted_by = db.Column(db.String(32))
    granted_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    revoked_at = db.Column(UtcDateTime)
    revoked_by = db.Column(db.String(32))


class Resident(db.Model):
    """An invånare. Personnummer (or samordningsnummer) is validated; protected identities are
    masked in lists and never appear in notifications."""

    __tablename__ = "resident"
    id = db.Column(db.String(32), primary_key=True, default=opaque_id)
    personnummer = db.Column(db.String(13), nullable=False, unique=True)
    given_name = db.Column(db.String(100), nullable=False)
    family_name = db.Column(db.String(100), nullable=False)
    birth_date = db.Column(db.Date, nullable=False)
    protected_identity = db.Column(db.Boolean, nullable=False, default=False)
    is_test = db.Column(db.Boolean, nullable=False, default=False)
    email = db.Column(db.String(200))
    phone = db.Column(db.String(40))

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class ChildCode(db.Model):
    """A single-use sign-in code a clinician issues for a child's program (R43).

    The code is a short public locator (to find the row and count attempts) plus a 40-bit secret
    stored only as an Argon2id hash."""

    __tablename__ = "child_code"
    id = db.Column(db.String(32), primary_key=True, default=opaque_id)
    resident_id = db.Column(db.String(32), db.ForeignKey("resident.id"), nullable=False, index=True)
    instance_id = db.Column(db.String(32))
    locator = db.Column(db.String(8), nullable=False, index=True)
    secret_hash = db.Column(db.String(200), nullable=False)
    issued_by = db.Column(db.String(32), nullable=False)
    issued_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    expires_at = db.Column(UtcDateTime, nullable=False)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    used_at = db.Column(UtcDateTime)
    voided_at = db.Column(UtcDateTime)


class ServerSession(db.Model):
    """A signed-in session, kept on the server so logout and revocation really end it.
    The cookie carries a random token; only its hash is stored."""

    __tablename__ = "server_session"
    token_hash = db.Column(db.String(64), primary_key=True)
    actor_type = db.Column(db.String(16), nullable=False)  # staff | resident | child
    actor_id = db.Column(db.String(32), nullable=False, index=True)
    assignment_id = db.Column(db.String(32), index=True)
    auth_method = db.Column(db.String(32), nullable=False)
    pending_step = db.Column(db.String(16))  # "totp" or "assignment" until sign-in is complete
    # A child's one-time code opens one program only (R43): the instance it was issued for.
    scope_instance_id = db.Column(db.String(32))
    # A designer in a test run acts as a test resident or the test clinician (access/test_acting.py):
    # who ("resident" | "staff", their id), on which test unit, in which run. None otherwise.
    acting_kind = db.Column(db.String(16))
    acting_id = db.Column(db.String(32))
    acting_unit_id = db.Column(db.String(32))
    acting_run_id = db.Column(db.String(32))
    created_at = db.Column(UtcDateTime, nullable=False)
    last_seen_at = db.Column(UtcDateTime, nullable=False)
    revoked_at = db.Column(UtcDateTime)


class RateCounter(db.Model):
    """Fixed-window counters for rate limits and lockouts, shared by every process."""

    __tablename__ = "rate_counter"
    key = db.Column(db.String(200), primary_key=True)
    window_start = db.Column(UtcDateTime, nullable=False)
    count = db.Column(db.Integer, nullable=False, default=0)
    last_at = db.Column(UtcDateTime)  # the latest counted attempt: the sign-in wait runs from it


class EnrolmentToken(db.Model):
    """A single-use link with which a member of staff chooses a password and sets up TOTP.
    Only the SHA-256 of the random token is kept; the token itself exists only in the e-mail."""

    __tablename__ = "enrolment_token"
    id = db.Column(db.String(32), primary_key=True, default=opaque_id)
    staff_id = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False, index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    issued_by = db.Column(db.String(32))
    issued_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    expires_at = db.Column(UtcDateTime, nullable=False)
    used_at = db.Column(UtcDateTime)
    revoked_at = db.Column(UtcDateTime)
