"""National management's overview of incidents (R57–R62): every case with its stage and its next
deadline, overdue ones first; how many cases came in per month and product; and the same rows for a
CSV export. What happened is not in the overview or the export: it stays on the case's own page."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from access import staff_rights
from engine import clock
from engine.db import db
from incidents.errors import IncidentForbidden
from incidents.models import Incident


@dataclass(frozen=True)
class Row:
    incident: Incident
    deadline: datetime | None  # the next thing due: triage, or the report to Läkemedelsverket
    deadline_kind: str | None  # "triage" | "agency"
    overdue: bool


@dataclass(frozen=True)
class Overview:
    rows: list[Row]
    per_month: list[tuple[str, str, int]]  # (YYYY-MM, product, cases)


def overview(principal) -> Overview:
    if not staff_rights.may_handle_incidents(principal):
        raise IncidentForbidden("national management only")
    now = clock.now()
    incidents = db.session.scalars(select(Incident).order_by(Incident.reported_at.desc())).all()
    rows = [_row(incident, now) for incident in incidents]
    # Overdue first, the longest overdue at the top; then what falls due soonest; then the rest.
    rows.sort(key=lambda r: (not r.overdue, r.deadline is None, r.deadline or now))
    counts = Counter((i.reported_at.astimezone(clock.SWEDEN).strftime("%Y-%m"), i.product) for i in incidents)
    return Overview(rows, sorted(((month, product, n) for (month, product), n in counts.items()), reverse=True))


def _row(incident: Incident, now: datetime) -> Row:
    due = []
    if incident.stage == "reported" and incident.triage_due_at:
        due.append((incident.triage_due_at, "triage"))
    if incident.serious and incident.lmv_sent_on is None and incident.agency_due_at:
        due.append((incident.agency_due_at, "agency"))
    if not due:
        return Row(incident, None, None, False)
    deadline, kind = min(due)
    return Row(incident, deadline, kind, deadline < now)


CSV_HEADER = ("case_reference", "reported_at", "product", "consequence", "stage", "next_deadline",
              "deadline_kind", "overdue", "agency_report_sent_on", "platform_version")


def csv_rows(view: Overview) -> list[tuple]:
    return [(r.incident.id[:12].upper(), _local(r.incident.reported_at), r.incident.product, r.incident.consequence,
             r.incident.stage, _local(r.deadline), r.deadline_kind or "", "yes" if r.overdue else "no",
             r.incident.lmv_sent_on.isoformat() if r.incident.lmv_sent_on else "", r.incident.platform_version)
            for r in view.rows]


def _local(moment: datetime | None) -> str:
    return moment.astimezone(clock.SWEDEN).strftime("%Y-%m-%d %H:%M") if moment else ""
