"""Log follow-up for loggranskare: search the PDL log of their own scope, see the risk signs,
export what they found, and document random samples (stickprov).

Every search and export is itself logged (security event); when it is about one resident it
is also a PDL access to that resident's log, so it gets its own PDL row.
"""
from __future__ import annotations


from flask import Blueprint, g, render_template, request, url_for
from flask_babel import lazy_gettext as _l

import engine
from access import logreview, logsearch, pdl, personnummer
from access.logsearch import Filters, Scope
from web.shell.csv_export import csv_response
from web.shell.screens import install_template_helpers, refuse, signed_in_staff

bp = Blueprint("logs", __name__, template_folder="templates")
install_template_helpers(bp)

PAGE_SIZE = 50
FILTER_PROBLEMS = {"date": _l("Write dates as YYYY-MM-DD."),
                   "personnummer": _l("Write the personnummer as YYYYMMDD-NNNN.")}
RISK_LABELS = {"protected": _l("Protected identity"), "denied": _l("Denied"),
               "no_basis": _l("No care relation"), "emergency": _l("Emergency access"),
               "off_hours": _l("Outside office hours"), "same_name": _l("Same family name as the staff member")}
# The CSV columns, in order; the search page shows these descriptions beside the export link.
EXPORT_COLUMNS = (
    ("seq", _l("Position in the log's hash chain")),
    ("time", _l("When, Swedish time, ISO 8601")),
    ("actor_type", _l("Who acted: %(codes)s", codes="staff, resident, child")),
    ("staff_hsa_id", _l("The staff member's HSA-id")),
    ("staff_name", _l("The staff member's name when the entry was written")),
    ("role", _l("The role the access was made in: %(codes)s", codes=", ".join(engine.ROLES))),
    ("care_provider_hsa_id", _l("HSA-id of the care provider accessed from")),
    ("unit_hsa_id", _l("HSA-id of the unit accessed from")),
    ("unit_name", _l("Name of the unit accessed from")),
    ("assignment_id", _l("The assignment (medarbetaruppdrag) used")),
    ("purpose", _l("The assignment's purpose: %(codes)s", codes="vard_och_behandling, administration")),
    ("resident_personnummer", _l("The resident's personnummer; only the birth date for a protected identity")),
    ("resident_protected", _l("Protected identity: %(codes)s", codes="yes, no")),
    ("action", _l("What was done: %(codes)s", codes=", ".join(sorted(pdl.ACTIONS)))),
    ("resource_type", _l("What kind of information")),
    ("resource_id", _l("Which record")),
    ("outcome", _l("The outcome: %(codes)s", codes="allowed, denied")),
    ("reason", _l("Why access was denied")),
    ("access_basis", _l("The ground for access, such as a care relation")),
    ("risks", _l("Risk signs, separated by %(separator)s: %(codes)s", separator="|", codes=", ".join(RISK_LABELS))),
    ("request_id", _l("The request, for matching with the security log")),
)


def reviewer_scope(principal) -> Scope:
    """The reviewer's scope for this request, or 403 for anyone without a loggranskare grant in force."""
    scope = logsearch.scope_of(principal)
    if scope.empty:
        refuse(principal, "needs loggranskare")
    return scope


def read_filters(principal, source, scope: Scope, *, typed: bool = False) -> Filters:
    """The filters asked for; a unit outside the scope is refused with 403."""
    try:
        return logsearch.read_filters(source, scope, typed=typed)
    except logsearch.OutsideScope:
        refuse(principal, "log search outside the reviewer's scope")


@bp.route("/loggar", methods=["GET", "POST"])
def search():
    """The search form posts (a personnummer typed in it stays out of addresses and access logs);
    paging, the risk list and export are links that carry the resident's id instead."""
    principal = signed_in_staff()
    scope = reviewer_scope(principal)
    typed = request.method == "POST"
    filters = read_filters(principal, request.form if typed else request.args, scope, typed=typed)
    page = _page_number()
    found = logsearch.search(principal, scope, filters, page, PAGE_SIZE, g.request_id)
    reviews = logreview.recent(scope)
    pages = max(1, -(-found.total // PAGE_SIZE))
    sample_form = {"from": filters.args().get("from", ""), "to": filters.args().get("to", ""),
                   "unit": filters.unit_id}
    return render_template("logs/search.html", filters=filters, errors=[FILTER_PROBLEMS[p] for p in filters.problems],
                           rows=found.rows, total=found.total, risky=found.risky, page=page, pages=pages,
                           links=_links(filters, page, pages), units=scope.units(), reviews=reviews,
                           risk_labels=RISK_LABELS, columns=EXPORT_COLUMNS, form=sample_form)


@bp.get("/loggar/export.csv")
def export():
    principal = signed_in_staff()
    scope = reviewer_scope(principal)
    filters = read_filters(principal, request.args, scope)
    rows = logsearch.export(principal, scope, filters, g.request_id)
    return csv_response([name for name, _description in EXPORT_COLUMNS], map(_csv_values, rows), "pdl-log.csv")


def _csv_values(row) -> list:
    e, unit, resident = row.entry, row.unit, row.resident
    number = ""
    if resident is not None:
        number = (personnummer.masked if resident.protected_identity else personnummer.formatted)(resident.personnummer)
    return [e.seq, e.ts.astimezone(engine.clock.SWEDEN).isoformat(timespec="seconds"), e.actor_type,
            row.staff.hsa_id if row.staff else "", e.actor_name if e.actor_type == "staff" else "", e.role or "",
            unit.care_provider.hsa_id if unit else "", unit.hsa_id if unit else "", unit.name if unit else "",
            e.assignment_id or "", e.purpose or "", number,
            "" if resident is None else ("yes" if resident.protected_identity else "no"),
            e.action, e.resource_type, e.resource_id or "", e.outcome, e.reason or "", e.access_basis or "",
            "|".join(row.risks), e.request_id or ""]


def _links(filters: Filters, page: int, pages: int) -> dict:
    args = filters.args()
    plain = {k: v for k, v in args.items() if k != "risk"}
    return {"all": url_for("logs.search", **plain), "risk": url_for("logs.search", **plain, risk="1"),
            "previous": url_for("logs.search", **args, page=page - 1) if page > 1 else None,
            "next": url_for("logs.search", **args, page=page + 1) if page < pages else None,
            "export": url_for("logs.export", **args)}


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return max(1, min(int(raw), 100_000)) if raw.isdigit() else 1


from web.logs import review as logs_review  # noqa: E402,F401  - the sample routes join this blueprint
