"""The support case tables: a case (what the requester asks, where and when, its category, who has
it now and the answer) and its screenshots, stored like incident evidence outside the web root."""
from __future__ import annotations

import uuid

from engine import clock
from engine.db import UtcDateTime, db

# R63–R69: an error in the platform, a login problem, a question about a program's content, other.
CATEGORIES = ("error", "login", "content", "other")
# Where the case stands: with the region's local support, the publisher unit that owns the content,
# national support; answered; or referred to the identity service's support (login, R68).
STAGES = ("with_local", "with_publisher", "with_national", "answered", "referred")


def _opaque_id() -> str:
    return uuid.uuid4().hex


class SupportCase(db.Model):
    __tablename__ = "support_case"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    requester_id = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False, index=True)
    # The region (care provider) whose local support handles it first; None for someone on no care unit.
    care_provider_id = db.Column(db.String(32), index=True)
    category = db.Column(db.String(16), nullable=False)
    product = db.Column(db.String(32), nullable=False)
    page_url = db.Column(db.String(2000), nullable=False)
    platform_version = db.Column(db.String(64), nullable=False)
    observed_at = db.Column(UtcDateTime, nullable=False)
    question = db.Column(db.Text, nullable=False)
    # A question about a program's content (R65): the program and the publisher unit that owns it.
    program_key = db.Column(db.String(100))
    publisher_unit_id = db.Column(db.String(32), index=True)
    stage = db.Column(db.String(16), nullable=False)
    instance_id = db.Column(db.String(32), index=True)
    passed_on = db.Column(db.Boolean, nullable=False, default=False)
    answer = db.Column(db.Text)
    answered_by = db.Column(db.String(32))
    answered_at = db.Column(UtcDateTime)
    created_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    updated_at = db.Column(UtcDateTime, nullable=False, default=clock.now)


class SupportEvidence(db.Model):
    """One screenshot or file; the bytes live in the support evidence folder under ``stored_name``."""

    __tablename__ = "support_evidence"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    case_id = db.Column(db.String(32), db.ForeignKey("support_case.id"), nullable=False, index=True)
    stored_name = db.Column(db.String(64), nullable=False, unique=True)
    media_type = db.Column(db.String(64), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    uploaded_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
