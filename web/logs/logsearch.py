"""Searching the PDL log for log follow-up (HSLF-FS 2016:40 4 kap. 9 §): the reviewer's scope,
the filters, and the risk signs SECURITY.md §3.2 lists.

A reviewer's scope comes from the loggranskare grants in force: a care-provider grant covers the
provider's entries, a unit grant only that unit's. Every query starts from the scope, so no
filter can reach past it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import and_, exists, extract, false, func, or_, select

from access import directory, personnummer
from access.models import Resident, Staff, Unit
from access.records import PdlEntry
from engine.db import db
from web.shell.screens import STOCKHOLM, parse_date, refuse

ROLE = "loggranskare"
WORKDAY_START, WORKDAY_END = 7, 19  # local hours; outside them an access is a risk sign


@dataclass
class Scope:
    provider_ids: set
    unit_ids: set
    principal: object = None

    def condition(self):
        return or_(PdlEntry.care_provider_id.in_(self.provider_ids), PdlEntry.unit_id.in_(self.unit_ids))

    def units(self) -> list[Unit]:
        return list(db.session.scalars(select(Unit).where(
            or_(Unit.care_provider_id.in_(self.provider_ids), Unit.id.in_(self.unit_ids))).order_by(Unit.name)))

    def covers(self, care_provider_id: str | None, unit_id: str | None) -> bool:
        return care_provider_id in self.provider_ids or unit_id in self.unit_ids


def reviewer_scope(principal) -> Scope:
    """The reviewer's scope for this request, or 403 for anyone without a loggranskare grant in force."""
    scope = Scope(principal.scopes(ROLE, "care_provider") - {None}, principal.scopes(ROLE, "unit") - {None},
                  principal)
    if not (scope.provider_ids or scope.unit_ids):
        refuse(principal, "needs loggranskare")
    return scope


@dataclass
class Filters:
    pnr: str = ""
    staff_hsa: str = ""
    unit_id: str = ""
    date_from: object = None
    date_to: object = None
    risk: bool = False
    resident: Resident | None = None
    staff: Staff | None = None
    errors: list = field(default_factory=list)

    def args(self) -> dict:
        """The filters as query arguments, for paging and export links."""
        values = {"pnr": self.pnr, "staff": self.staff_hsa, "unit": self.unit_id,
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else "", "risk": "1" if self.risk else ""}
        return {k: v for k, v in values.items() if v}

    def summary(self) -> str:
        """For the security event: ids only, never a personnummer."""
        parts = [f"resident={self.resident.id if self.resident else ('unknown' if self.pnr else '-')}",
                 f"staff={self.staff_hsa or '-'}", f"unit={self.unit_id or '-'}",
                 f"from={self.date_from or '-'}", f"to={self.date_to or '-'}", f"risk={int(self.risk)}"]
        return " ".join(parts)


def read_filters(source, scope: Scope) -> Filters:
    """Filters from query arguments or a form; a unit outside the scope is refused with 403."""
    found = Filters(pnr=(source.get("pnr") or "").strip()[:20], staff_hsa=(source.get("staff") or "").strip()[:64],
                    unit_id=(source.get("unit") or "").strip()[:64], risk=source.get("risk") == "1")
    if found.unit_id and found.unit_id not in {u.id for u in scope.units()}:
        refuse(scope.principal, "log search outside the reviewer's scope")
    for name, attr in (("from", "date_from"), ("to", "date_to")):
        raw = (source.get(name) or "").strip()
        setattr(found, attr, parse_date(raw))
        if raw and getattr(found, attr) is None:
            found.errors.append(_("Write dates as YYYY-MM-DD."))
    if found.pnr:
        try:
            personnummer.normalize(found.pnr)
        except personnummer.InvalidPersonnummer:
            found.errors.append(_("Write the personnummer as YYYYMMDD-NNNN."))
        # An unknown person gives an empty result, never a message: the search must not tell a
        # reviewer whether someone is a resident anywhere on the platform.
        found.resident = directory.resident_by_personnummer(found.pnr)
    if found.staff_hsa:
        found.staff = db.session.scalar(select(Staff).where(Staff.hsa_id == found.staff_hsa.upper()))
    return found


def entries_query(scope: Scope, filters: Filters):
    stmt = select(PdlEntry).where(scope.condition())
    if filters.pnr:
        stmt = stmt.where(PdlEntry.resident_id == filters.resident.id if filters.resident else false())
    if filters.staff_hsa:
        stmt = stmt.where(PdlEntry.actor_id == filters.staff.id if filters.staff else false())
    if filters.unit_id:
        stmt = stmt.where(PdlEntry.unit_id == filters.unit_id)
    if filters.date_from:
        stmt = stmt.where(PdlEntry.ts >= _local_midnight(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(PdlEntry.ts < _local_midnight(filters.date_to + timedelta(days=1)))
    if filters.risk:
        stmt = stmt.where(risk_condition())
    return stmt


def _local_midnight(day) -> datetime:
    """Typed dates are Swedish dates: a day runs from local midnight to local midnight."""
    return datetime.combine(day, time(0), tzinfo=STOCKHOLM)


def risk_condition():
    """Any of the risk signs, as SQL, so the risk list pages and counts like the plain one."""
    return or_(_protected_resident(), PdlEntry.outcome == "denied", _without_basis(),
               PdlEntry.action == "emergency_open", _off_hours(), _same_family_name())


def _protected_resident():
    return exists().where(Resident.id == PdlEntry.resident_id, Resident.protected_identity.is_(True))


def _without_basis():
    return and_(PdlEntry.access_basis.is_(None), PdlEntry.outcome == "allowed", PdlEntry.resident_id.isnot(None))


def _same_family_name():
    return and_(PdlEntry.actor_type == "staff", exists().where(
        Staff.id == PdlEntry.actor_id, Resident.id == PdlEntry.resident_id,
        func.lower(Staff.family_name) == func.lower(Resident.family_name)))


def _off_hours():
    """Local hour and weekday. PostgreSQL knows the zone; SQLite gets a small function of ours."""
    if db.session.get_bind().dialect.name == "postgresql":
        local = func.timezone("Europe/Stockholm", func.timezone("UTC", PdlEntry.ts))
        hour, weekday = extract("hour", local), extract("isodow", local)
        return or_(hour < WORKDAY_START, hour >= WORKDAY_END, weekday >= 6)
    raw = db.session.connection().connection.driver_connection
    raw.create_function("vf_off_hours", 1, _sqlite_off_hours, deterministic=True)
    return func.vf_off_hours(PdlEntry.ts) == 1


def _sqlite_off_hours(stored: str | None) -> int:
    return 0 if stored is None else int(is_off_hours(datetime.fromisoformat(stored)))


def is_off_hours(moment: datetime) -> bool:
    """``moment`` in UTC (aware, or naive meaning UTC): outside 07–19 Swedish time, or a weekend."""
    local = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(STOCKHOLM)
    return local.hour < WORKDAY_START or local.hour >= WORKDAY_END or local.weekday() >= 5


@dataclass
class Row:
    """One entry with what the reviewer needs beside it: who, where, about whom, which risks."""

    entry: PdlEntry
    staff: Staff | None
    unit: Unit | None
    resident: Resident | None
    risks: list


def describe(entries) -> list[Row]:
    """Load the people and units a page of entries mentions, in three queries."""
    staff = _by_id(Staff, {e.actor_id for e in entries if e.actor_type == "staff"})
    units = _by_id(Unit, {e.unit_id for e in entries})
    residents = _by_id(Resident, {e.resident_id for e in entries})
    rows = []
    for e in entries:
        member, resident = staff.get(e.actor_id) if e.actor_type == "staff" else None, residents.get(e.resident_id)
        rows.append(Row(e, member, units.get(e.unit_id), resident, risks_of(e, member, resident)))
    return rows


def risks_of(entry: PdlEntry, staff: Staff | None, resident: Resident | None) -> list[str]:
    """The same signs as risk_condition, for one entry (kept in step with it by the tests)."""
    signs = []
    if resident is not None and resident.protected_identity:
        signs.append("protected")
    if entry.outcome == "denied":
        signs.append("denied")
    if entry.access_basis is None and entry.outcome == "allowed" and entry.resident_id:
        signs.append("no_basis")
    if entry.action == "emergency_open":
        signs.append("emergency")
    if is_off_hours(entry.ts):
        signs.append("off_hours")
    if staff is not None and resident is not None and staff.family_name.lower() == resident.family_name.lower():
        signs.append("same_name")
    return signs


def _by_id(model, ids) -> dict:
    ids = {i for i in ids if i}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}
