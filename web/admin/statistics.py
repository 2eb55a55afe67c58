"""Statistics for a care-provider administrator: programs started and finished per unit, program
and ISO week, as CSV (the columns are ``care.statistics``'s). Counts only – no resident, no
answers – so no PDL row is needed; the export itself is a security event."""
from __future__ import annotations

from flask import Blueprint, g

from access import security_log
from care import statistics
from web.shell.csv_export import csv_response
from web.shell.screens import administered_provider, signed_in_staff

bp = Blueprint("statistics", __name__, template_folder="templates")


@bp.get("/statistik.csv")
def export():
    principal = signed_in_staff()
    provider = administered_provider(principal)
    rows = statistics.rows(provider.id)
    security_log.event("statistics_export", "ok", actor_type="staff", actor_id=principal.id, subject=provider.id,
                       request_id=g.request_id)
    return csv_response(statistics.COLUMNS, rows, "vardflode-statistik.csv")
