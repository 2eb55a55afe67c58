"""The incident tables: a report (what the reporter saw, where and when, and its consequence), the
evidence files stored outside the web root, and the stages the reporter is told about."""
from __future__ import annotations

import uuid

from engine import clock
from engine.db import UtcDateTime, db

PRODUCTS = ("stod_och_behandling", "designverktyget")
# The consequences of the authority's form; the first three are serious or potentially serious (R59).
CONSEQUENCES = ("death", "serious_deterioration", "could_have_led_to", "no_harm")
SERIOUS = frozenset(CONSEQUENCES[:3])
# The stages the reporter sees, in order; each is told by a fixed notification without health data.
STAGES = ("reported", "triaged", "investigated", "corrected", "closed")


def _opaque_id() -> str:
    return uuid.uuid4().hex


class Incident(db.Model):
    __tablename__ = "incident"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    reporter_id = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False, index=True)
    # The reporter's care provider when they reported: its administrator may record the agency report.
    reporter_care_provider_id = db.Column(db.String(32))
    product = db.Column(db.String(32), nullable=False)
    page_url = db.Column(db.String(2000), nullable=False)
    platform_version = db.Column(db.String(64), nullable=False)
    observed_at = db.Column(UtcDateTime, nullable=False)
    what_happened = db.Column(db.Text, nullable=False)
    consequence = db.Column(db.String(32), nullable=False)
    stage = db.Column(db.String(16), nullable=False, default="reported")
    instance_id = db.Column(db.String(32), index=True)
    # R58: when triage and the report to Läkemedelsverket fall due, from the deadlines in force when
    # the case was reported (the process's reminder timers use the same durations).
    triage_due_at = db.Column(UtcDateTime)
    agency_due_at = db.Column(UtcDateTime)
    lmv_sent_on = db.Column(db.Date)
    lmv_recorded_by = db.Column(db.String(32))
    closing_summary = db.Column(db.Text)
    reported_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    updated_at = db.Column(UtcDateTime, nullable=False, default=clock.now)

    @property
    def serious(self) -> bool:
        return self.consequence in SERIOUS


class IncidentEvidence(db.Model):
    """One evidence file. The bytes live in the configured evidence folder under ``stored_name``
    (an opaque id, never the uploaded name), so no web route can serve them by path."""

    __tablename__ = "incident_evidence"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    incident_id = db.Column(db.String(32), db.ForeignKey("incident.id"), nullable=False, index=True)
    stored_name = db.Column(db.String(64), nullable=False, unique=True)
    media_type = db.Column(db.String(64), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    uploaded_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
