"""The demo organisation for the care domain's tests, and principals built without a request:
what a staff member's sign-in on their (only) assignment would give."""
from __future__ import annotations

from datetime import datetime, timezone

import engine
from access.principal import Principal, active_grants, valid_assignments
from cli import demo_people
from engine.db import db

WORKDAY = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)  # a Tuesday, 10:00 in Stockholm


def seeded():
    """The demo organisation on a weekday morning, committed."""
    engine.clock.freeze(WORKDAY)
    org = demo_people.seed()
    db.session.commit()
    return org


def principal(member) -> Principal:
    """The staff member as signed in on their only assignment, with the unit and care-provider
    grants in force there."""
    assignment = valid_assignments(member.id)[0]
    grants = [g for g in active_grants(member.id)
              if (g.scope_type, g.scope_id) in {("unit", assignment.unit_id),
                                                ("care_provider", assignment.unit.care_provider_id)}]
    return Principal(kind="staff", id=member.id, display_name=member.display_name, auth_method="password_totp",
                     session_hash="x", assignment=assignment, grants=grants, roles={g.role for g in grants})
