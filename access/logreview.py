"""Random samples of the PDL log (stickprov) and their documented outcome: the care provider
must check access systematically and document the checks (HSLF-FS 2016:40 4 kap. 9 §).

Every look at a sample and every decision is a security event. What was chosen wrongly comes
back as a code; the pages word it."""
from __future__ import annotations

from sqlalchemy import func, select

from access import security_log
from access.logsearch import Filters, Scope, describe, entries_query
from access.models import opaque_id
from access.records import LogReview, PdlEntry
from engine import clock
from engine.db import db

DEFAULT_SIZE, MAX_SIZE = 20, 100
DECISIONS = ("ok", "follow_up")
MAX_COMMENT = 2000
RECENT = 20


def sample_size(raw: str | None) -> int:
    """The number of entries asked for, between 1 and MAX_SIZE; DEFAULT_SIZE when not a number."""
    raw = raw or ""
    return max(1, min(int(raw), MAX_SIZE)) if raw.isdigit() else DEFAULT_SIZE


def sample_problem(chosen: Filters) -> str | None:
    """Why the chosen period cannot be sampled: "period" (missing or malformed), "order" (ends
    before it starts); None when it can."""
    if chosen.problems or not (chosen.date_from and chosen.date_to):
        return "period"
    if chosen.date_to < chosen.date_from:
        return "order"
    return None


def draw_sample(principal, scope: Scope, chosen: Filters, size: int, request_id: str | None) -> LogReview:
    """Draw ``size`` random entries of the chosen unit and period within the scope, to review."""
    period = Filters(unit_id=chosen.unit_id, date_from=chosen.date_from, date_to=chosen.date_to)
    ids = list(db.session.scalars(entries_query(scope, period).with_only_columns(PdlEntry.id)
                                  .order_by(func.random()).limit(size)))
    # A reviewer of one unit only samples that unit, so the review belongs to it.
    unit_id = chosen.unit_id or (next(iter(scope.unit_ids)) if not scope.provider_ids else None)
    found = LogReview(id=opaque_id(), reviewer_id=principal.id, care_provider_id=principal.care_provider_id,
                      unit_id=unit_id, period_from=chosen.date_from, period_to=chosen.date_to, entry_ids=ids)
    db.session.add(found)
    security_log.event("log_sample_created", "ok", actor_type="staff", actor_id=principal.id, subject=found.id,
                       detail=f"{len(ids)} entries", request_id=request_id)
    return found


def find(scope: Scope, review_id: str) -> LogReview | None:
    """The sample, or None when there is none in the reviewer's scope (another provider's do not exist)."""
    found = db.session.get(LogReview, review_id[:64])
    return found if found is not None and scope.covers(found.care_provider_id, found.unit_id) else None


def recent(scope: Scope) -> list[LogReview]:
    """The latest samples in the reviewer's scope, newest first."""
    return list(db.session.scalars(select(LogReview).where(LogReview.care_provider_id.in_(scope.provider_ids)
                                                           | LogReview.unit_id.in_(scope.unit_ids))
                                   .order_by(LogReview.created_at.desc()).limit(RECENT)))


def open_review(principal, scope: Scope, found: LogReview, request_id: str | None) -> list:
    """The sample's entries still in the scope, described, in log order; the look is logged."""
    entries = db.session.scalars(select(PdlEntry).where(PdlEntry.id.in_(found.entry_ids or []), scope.condition())
                                 .order_by(PdlEntry.seq)).all()
    security_log.event("log_review_opened", "ok", actor_type="staff", actor_id=principal.id, subject=found.id,
                       request_id=request_id)
    return describe(entries)


def decide(principal, found: LogReview, decision: str | None, comment: str | None,
           request_id: str | None) -> str | None:
    """Record the outcome once (a documented check is not rewritten afterwards); or say why not:
    "decided", "decision", "comment_too_long" or "comment_missing"."""
    if found.decision is not None:
        return "decided"
    if decision not in DECISIONS:
        return "decision"
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        return "comment_too_long"
    if decision == "follow_up" and not comment:
        return "comment_missing"
    found.decision, found.comment, found.decided_at = decision, comment or None, clock.now()
    security_log.event("log_review_decided", "ok", actor_type="staff", actor_id=principal.id, subject=found.id,
                       detail=decision, request_id=request_id)
    return None
