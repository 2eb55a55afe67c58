"""Statistics for a care-provider administrator: programs started and finished per unit, program
and ISO week, as CSV. Counts only – no resident, no answers – so no PDL row is needed; the
export itself is a security event.

Columns: ``unit_hsa_id``, ``unit_name``, ``program``, ``iso_week`` (YYYY-Www, Swedish time),
``started`` (instances created that week), ``finished`` (instances that ended that week,
completed, cancelled, or ended early by the clinician), ``completed`` (of those, ran to their end)."""
from __future__ import annotations

import csv
import io
from collections import Counter
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, g
from sqlalchemy import select

from access import security_log
from access.models import Unit
from engine.db import db
from engine.models import ProcessInstance, ProgramVersion
from web.shell.screens import administered_provider, signed_in_staff

bp = Blueprint("statistics", __name__, template_folder="templates")
STOCKHOLM = ZoneInfo("Europe/Stockholm")
COLUMNS = ["unit_hsa_id", "unit_name", "program", "iso_week", "started", "finished", "completed"]


@bp.get("/statistik.csv")
def export():
    principal = signed_in_staff()
    provider = administered_provider(principal)
    rows = _rows(provider.id)
    security_log.event("statistics_export", "ok", actor_type="staff", actor_id=principal.id, subject=provider.id,
                       request_id=g.request_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="vardflode-statistik.csv"'})


def _rows(provider_id: str) -> list[list]:
    stmt = (select(Unit.hsa_id, Unit.name, ProgramVersion.name, ProcessInstance.created_at,
                   ProcessInstance.ended_at, ProcessInstance.status)
            .join(Unit, Unit.id == ProcessInstance.unit_id)
            .join(ProgramVersion, ProgramVersion.content_hash == ProcessInstance.version_hash)
            .where(Unit.care_provider_id == provider_id, ProcessInstance.is_test.is_(False)))
    started, finished, completed = Counter(), Counter(), Counter()
    for hsa, unit_name, program, created, ended, status in db.session.execute(stmt):
        started[(hsa, unit_name, program, _week(created))] += 1
        if ended is not None:
            key = (hsa, unit_name, program, _week(ended))
            finished[key] += 1
            completed[key] += status == "completed"
    keys = sorted(set(started) | set(finished))
    return [[*key, started[key], finished[key], completed[key]] for key in keys]


def _week(moment) -> str:
    year, week, _ = moment.astimezone(STOCKHOLM).isocalendar()
    return f"{year}-W{week:02d}"
