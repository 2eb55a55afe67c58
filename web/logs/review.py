"""Random samples of the PDL log (stickprov) and their documented outcome: the care provider
must check access systematically and document the checks (HSLF-FS 2016:40 4 kap. 9 §)."""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from access import security_log
from access.models import opaque_id
from access.records import LogReview, PdlEntry
from engine import clock
from engine.db import db
from web.logs.search import RISK_LABELS, bp
from web.logs.logsearch import Filters, describe, entries_query, read_filters, reviewer_scope
from web.shell.screens import signed_in_staff

DEFAULT_SIZE, MAX_SIZE = 20, 100
DECISIONS = ("ok", "follow_up")
MAX_COMMENT = 2000


@bp.post("/loggar/stickprov")
def sample():
    principal = signed_in_staff()
    scope = reviewer_scope(principal)
    chosen = read_filters(request.form, scope)
    error = _sample_refusal(chosen)
    if error:
        return render_template("logs/sample_page.html", units=scope.units(), error=error, form=request.form), 400
    period = Filters(unit_id=chosen.unit_id, date_from=chosen.date_from, date_to=chosen.date_to)
    ids = list(db.session.scalars(entries_query(scope, period).with_only_columns(PdlEntry.id)
                                  .order_by(func.random()).limit(_size())))
    # A reviewer of one unit only samples that unit, so the review belongs to it.
    unit_id = chosen.unit_id or (next(iter(scope.unit_ids)) if not scope.provider_ids else None)
    found = LogReview(id=opaque_id(), reviewer_id=principal.id, care_provider_id=principal.care_provider_id,
                      unit_id=unit_id, period_from=chosen.date_from, period_to=chosen.date_to, entry_ids=ids)
    db.session.add(found)
    security_log.event("log_sample_created", "ok", actor_type="staff", actor_id=principal.id, subject=found.id,
                       detail=f"{len(ids)} entries", request_id=g.request_id)
    return redirect(url_for("logs.review", review_id=found.id))


@bp.route("/loggar/stickprov/<review_id>", methods=["GET", "POST"])
def review(review_id: str):
    principal = signed_in_staff()
    scope = reviewer_scope(principal)
    found = db.session.get(LogReview, review_id[:64])
    if found is None or not scope.covers(found.care_provider_id, found.unit_id):
        abort(404)  # another provider's reviews do not exist for this reviewer
    error = None
    if request.method == "POST":
        error = _decide(principal, found)
        if error is None:
            return redirect(url_for("logs.review", review_id=found.id))
    entries = db.session.scalars(select(PdlEntry).where(PdlEntry.id.in_(found.entry_ids or []), scope.condition())
                                 .order_by(PdlEntry.seq)).all()
    security_log.event("log_review_opened", "ok", actor_type="staff", actor_id=principal.id, subject=found.id,
                       request_id=g.request_id)
    page = render_template("logs/review.html", review=found, rows=describe(entries), risk_labels=RISK_LABELS,
                           error=error, form=request.form)
    return page, 400 if error else 200


def _sample_refusal(chosen: Filters) -> str | None:
    if chosen.errors or not (chosen.date_from and chosen.date_to):
        return _("Choose the period to sample, from and to, as YYYY-MM-DD.")
    if chosen.date_to < chosen.date_from:
        return _("The end of the period must be on or after its start.")
    return None


def _size() -> int:
    raw = request.form.get("size", "")
    return max(1, min(int(raw), MAX_SIZE)) if raw.isdigit() else DEFAULT_SIZE


def _decide(principal, found: LogReview) -> str | None:
    """Record the outcome once: a documented check is not rewritten afterwards."""
    if found.decision is not None:
        return _("This sample has already been decided.")
    decision = request.form.get("decision")
    if decision not in DECISIONS:
        return _("Choose whether the sample was in order or needs follow-up.")
    comment = (request.form.get("comment") or "").strip()
    if len(comment) > MAX_COMMENT:
        return _("The comment can be at most %(count)s characters.", count=MAX_COMMENT)
    if decision == "follow_up" and not comment:
        return _("Say what needs to be followed up.")
    found.decision, found.comment, found.decided_at = decision, comment or None, clock.now()
    security_log.event("log_review_decided", "ok", actor_type="staff", actor_id=principal.id, subject=found.id,
                       detail=decision, request_id=g.request_id)
    return None
