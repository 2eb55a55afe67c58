"""The onboarding table: one application per connection form sent in, with the case's process."""
from __future__ import annotations

import uuid

from engine import clock
from engine.db import UtcDateTime, db

# submitted | completion_requested | approved | refused
STATES = ("submitted", "completion_requested", "approved", "refused")


def _opaque_id() -> str:
    return uuid.uuid4().hex


class OnboardingApplication(db.Model):
    """A connection form (R36) and its case. ``details`` holds what the form names – units,
    publisher units, the named person per R17 role and the agreements – as checked JSON; the
    named persons' contact details are personal data and never leave this row for a log."""

    __tablename__ = "onboarding_application"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    kind = db.Column(db.String(32), nullable=False, index=True)
    state = db.Column(db.String(24), nullable=False, default="submitted", index=True)
    organisation_name = db.Column(db.String(200), nullable=False)
    provider_hsa_id = db.Column(db.String(64), nullable=False)
    # The region the case belongs to: the connecting region of a private provider, the existing
    # care provider a form is for, or the provider the approval created. Who may see the case.
    region_provider_id = db.Column(db.String(32), db.ForeignKey("care_provider.id"), index=True)
    details = db.Column(db.JSON, nullable=False)
    applicant_id = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False, index=True)
    instance_id = db.Column(db.String(32), index=True)  # the timer actor looks a case up by it
    rounds = db.Column(db.Integer, nullable=False, default=0)  # completions asked for so far
    comment = db.Column(db.Text)  # national management's last comment to the applicant
    submitted_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    decided_by = db.Column(db.String(32))
    decided_at = db.Column(UtcDateTime)


# reported | confirmed | rejected | deactivated
ENDING_STATES = ("reported", "confirmed", "rejected", "deactivated")


class AgreementEnding(db.Model):
    """A report that a private care provider's agreement with its region has ended (R33), and
    its case: national management confirms, the running programs are handed over or ended, and
    the provider's units and publisher units are deactivated."""

    __tablename__ = "agreement_ending"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    provider_id = db.Column(db.String(32), db.ForeignKey("care_provider.id"), nullable=False, index=True)
    region_provider_id = db.Column(db.String(32), db.ForeignKey("care_provider.id"), nullable=False, index=True)
    state = db.Column(db.String(24), nullable=False, default="reported", index=True)
    reason = db.Column(db.Text, nullable=False)
    ended_on = db.Column(db.Date, nullable=False)
    reported_by = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False)
    reported_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    instance_id = db.Column(db.String(32), index=True)
    comment = db.Column(db.Text)  # national management's comment on its decision
    decided_by = db.Column(db.String(32))
    decided_at = db.Column(UtcDateTime)
    deactivated_at = db.Column(UtcDateTime)
