"""The community tables: news items and who has seen them, the designers' questions and answers,
and the training and implementation-support requests with their process instance."""
from __future__ import annotations

import uuid

from engine import clock
from engine.db import UtcDateTime, db

NEWS_KINDS = ("release_notes", "announcement")
REQUEST_KINDS = ("training", "implementation")
# registered: waiting for national management; then one of the outcomes (a training booked, a
# request answered, or closed without either).
REQUEST_STATES = ("registered", "booked", "answered", "closed")
TERMS = ("autumn", "spring")


def _opaque_id() -> str:
    return uuid.uuid4().hex


class NewsItem(db.Model):
    """Release notes of a version, or an announcement, written by national management in Markdown."""

    __tablename__ = "news_item"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    kind = db.Column(db.String(16), nullable=False)
    version_label = db.Column(db.String(32))  # release notes only
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    author_id = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False)
    published_at = db.Column(UtcDateTime, nullable=False, default=clock.now, index=True)


class NewsSeen(db.Model):
    """A person has opened the item: it no longer counts as new for them."""

    __tablename__ = "news_seen"
    staff_id = db.Column(db.String(32), db.ForeignKey("staff.id"), primary_key=True)
    news_id = db.Column(db.String(32), db.ForeignKey("news_item.id"), primary_key=True)
    seen_at = db.Column(UtcDateTime, nullable=False, default=clock.now)


class Question(db.Model):
    """A designer's question to the network: to the designers of one publisher unit, or (no
    publisher unit) to every designer nationally."""

    __tablename__ = "network_question"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    publisher_unit_id = db.Column(db.String(32), db.ForeignKey("publisher_unit.id"), index=True)
    author_id = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    reports_error = db.Column(db.Boolean, nullable=False, default=False)
    accepted_answer_id = db.Column(db.String(32))
    asked_at = db.Column(UtcDateTime, nullable=False, default=clock.now, index=True)


class Answer(db.Model):
    __tablename__ = "network_answer"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    question_id = db.Column(db.String(32), db.ForeignKey("network_question.id"), nullable=False, index=True)
    author_id = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False)
    body = db.Column(db.Text, nullable=False)
    answered_at = db.Column(UtcDateTime, nullable=False, default=clock.now)


class CommunityRequest(db.Model):
    """Interest in designer training (R73) or a request for implementation support (R72) from a
    care provider's contact person, and its case in the shipped process."""

    __tablename__ = "community_request"
    id = db.Column(db.String(32), primary_key=True, default=_opaque_id)
    kind = db.Column(db.String(16), nullable=False, index=True)
    care_provider_id = db.Column(db.String(32), db.ForeignKey("care_provider.id"), nullable=False, index=True)
    requester_id = db.Column(db.String(32), db.ForeignKey("staff.id"), nullable=False, index=True)
    participants = db.Column(db.Integer)  # training: how many would come
    preferred_term = db.Column(db.String(16))  # training: autumn | spring
    message = db.Column(db.Text, nullable=False)
    state = db.Column(db.String(16), nullable=False, default="registered", index=True)
    instance_id = db.Column(db.String(32), index=True)
    outcome_note = db.Column(db.Text)
    handled_by = db.Column(db.String(32))
    registered_at = db.Column(UtcDateTime, nullable=False, default=clock.now)
    handled_at = db.Column(UtcDateTime)
