"""Random samples of the PDL log (stickprov) and their documented outcome, as pages: drawing a
sample, looking at it and deciding it. The rules are ``access.logreview``'s."""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from access import logreview
from web.logs.search import RISK_LABELS, bp, read_filters, reviewer_scope
from web.shell.screens import signed_in_staff

SAMPLE_PROBLEMS = {"period": _l("Choose the period to sample, from and to, as YYYY-MM-DD."),
                   "order": _l("The end of the period must be on or after its start.")}
DECISION_PROBLEMS = {
    "decided": _l("This sample has already been decided."),
    "decision": _l("Choose whether the sample was in order or needs follow-up."),
    "comment_too_long": _l("The comment can be at most %(count)s characters.", count=logreview.MAX_COMMENT),
    "comment_missing": _l("Say what needs to be followed up."),
}


@bp.post("/loggar/stickprov")
def sample():
    principal = signed_in_staff()
    scope = reviewer_scope(principal)
    chosen = read_filters(principal, request.form, scope)
    problem = logreview.sample_problem(chosen)
    if problem:
        return render_template("logs/sample_page.html", units=scope.units(), error=str(SAMPLE_PROBLEMS[problem]),
                               form=request.form), 400
    found = logreview.draw_sample(principal, scope, chosen, logreview.sample_size(request.form.get("size")),
                                  g.request_id)
    return redirect(url_for("logs.review", review_id=found.id))


@bp.route("/loggar/stickprov/<review_id>", methods=["GET", "POST"])
def review(review_id: str):
    principal = signed_in_staff()
    scope = reviewer_scope(principal)
    found = logreview.find(scope, review_id)
    if found is None:
        abort(404)  # another provider's reviews do not exist for this reviewer
    error = None
    if request.method == "POST":
        problem = logreview.decide(principal, found, request.form.get("decision"), request.form.get("comment"),
                                   g.request_id)
        if problem is None:
            return redirect(url_for("logs.review", review_id=found.id))
        error = str(DECISION_PROBLEMS[problem])
    rows = logreview.open_review(principal, scope, found, g.request_id)
    page = render_template("logs/review.html", review=found, rows=rows, risk_labels=RISK_LABELS,
                           error=error, form=request.form)
    return page, 400 if error else 200
