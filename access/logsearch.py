"""Searching the PDL log for log follow-up (HSLF-FS 2016:40 4 kap. 9 §): the reviewer's scope,
the filters, the risk signs SECURITY.md §3.2 lists, and the search and export themselves, which
are logged like any other look into the log.

A reviewer's scope comes from the loggranskare grants in force: a care-provider grant covers the
provider's entries, a unit grant only that unit's. Every query starts from the scope, so no
filter can reach past it. What was written wrongly comes back as codes; the pages word them.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, case, exists, extract, false, func, or_, select

from access import directory, pdl, personnummer, security_log
from access.models import Resident, Staff, Unit
from access.records import PdlEntry
from engine import clock
from engine.db import db

ROLE = "loggranskare"
WORKDAY_START, WORKDAY_END = 7, 19  # local hours; outside them an access is a risk sign


class OutsideScope(Exception):
    """The filters name a unit outside the reviewer's scope."""


@dataclass
class Scope:
    provider_ids: set
    unit_ids: set

    @property
    def empty(self) -> bool:
        """No loggranskare grant in force: nothing may be searched."""
        return not (self.provider_ids or self.unit_ids)

    def condition(self):
        return or_(PdlEntry.care_provider_id.in_(self.provider_ids), PdlEntry.unit_id.in_(self.unit_ids))

    def units(self) -> list[Unit]:
        return list(db.session.scalars(select(Unit).where(
            or_(Unit.care_provider_id.in_(self.provider_ids), Unit.id.in_(self.unit_ids))).order_by(Unit.name)))

    def covers(self, care_provider_id: str | None, unit_id: str | None) -> bool:
        return care_provider_id in self.provider_ids or unit_id in self.unit_ids


def scope_of(principal) -> Scope:
    """The reviewer's scope from the loggranskare grants in force; empty for anyone without one."""
    return Scope(principal.scopes(ROLE, "care_provider") - {None}, principal.scopes(ROLE, "unit") - {None})


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
    problems: list = field(default_factory=list)  # "date" or "personnummer", once per field written wrongly

    def args(self) -> dict:
        """The filters as query arguments, for paging and export links. A personnummer never goes
        into an address (it would land in access logs): the resident's opaque id does, or ``-``
        for a personnummer that matched nobody."""
        values = {"resident": (self.resident.id if self.resident else UNKNOWN_RESIDENT) if self.pnr else "",
                  "staff": self.staff_hsa, "unit": self.unit_id,
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else "", "risk": "1" if self.risk else ""}
        return {k: v for k, v in values.items() if v}

    def summary(self) -> str:
        """For the security event: ids only, never a personnummer."""
        parts = [f"resident={self.resident.id if self.resident else ('unknown' if self.pnr else '-')}",
                 f"staff={self.staff_hsa or '-'}", f"unit={self.unit_id or '-'}",
                 f"from={self.date_from or '-'}", f"to={self.date_to or '-'}", f"risk={int(self.risk)}"]
        return " ".join(parts)


UNKNOWN_RESIDENT = "-"  # in a paging link: the search named a personnummer that matched nobody


def read_filters(source, scope: Scope, *, typed: bool = False) -> Filters:
    """Filters from the search form (``typed``: a personnummer may be given) or from a paging or
    export link (the resident's id instead); raise OutsideScope for a unit outside the scope."""
    found = Filters(pnr=(source.get("pnr") or "").strip()[:20] if typed else "", staff_hsa=(source.get("staff") or "").strip()[:64],
                    unit_id=(source.get("unit") or "").strip()[:64], risk=source.get("risk") == "1")
    if found.unit_id and found.unit_id not in {u.id for u in scope.units()}:
        raise OutsideScope(found.unit_id)
    for name, attr in (("from", "date_from"), ("to", "date_to")):
        raw = (source.get(name) or "").strip()
        setattr(found, attr, _parse_date(raw))
        if raw and getattr(found, attr) is None:
            found.problems.append("date")
    if found.pnr:
        try:
            personnummer.normalize(found.pnr)
        except personnummer.InvalidPersonnummer:
            found.problems.append("personnummer")
        # An unknown person gives an empty result, never a message: the search must not tell a
        # reviewer whether someone is a resident anywhere on the platform.
        found.resident = directory.resident_by_personnummer(found.pnr)
    elif not typed and source.get("resident"):
        _resident_from_link(found, source.get("resident"))
    if found.staff_hsa:
        found.staff = db.session.scalar(select(Staff).where(Staff.hsa_id == found.staff_hsa.upper()))
    return found


def _resident_from_link(found: Filters, resident_id: str) -> None:
    """A paging link names the resident by id; the form shows their personnummer again."""
    found.resident = db.session.get(Resident, resident_id[:32]) if resident_id != UNKNOWN_RESIDENT else None
    found.pnr = personnummer.formatted(found.resident.personnummer) if found.resident else UNKNOWN_RESIDENT


def _parse_date(text: str) -> date | None:
    """A typed ``YYYY-MM-DD`` date, or None when absent or malformed."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def entries_query(scope: Scope, filters: Filters):
    """The entries in the scope that pass the filters, as a query to page, count or export."""
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
    return datetime.combine(day, time(0), tzinfo=clock.SWEDEN)


def risk_condition():
    """Any of the risk signs, as SQL, so the risk list pages and counts like the plain one."""
    return or_(_protected_resident(), PdlEntry.outcome == "denied", _without_basis(),
               _emergency(), _off_hours(), _same_family_name())


def _emergency():
    """Emergency access: the opening itself and every read made under it."""
    return or_(PdlEntry.action == "emergency_open", PdlEntry.access_basis == "emergency")


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
    local = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(clock.SWEDEN)
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
    if entry.action == "emergency_open" or entry.access_basis == "emergency":
        signs.append("emergency")
    if is_off_hours(entry.ts):
        signs.append("off_hours")
    if staff is not None and resident is not None and staff.family_name.lower() == resident.family_name.lower():
        signs.append("same_name")
    return signs


def _by_id(model, ids) -> dict:
    ids = {i for i in ids if i}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}


@dataclass(frozen=True)
class SearchPage:
    """One page of entries, newest first, with how many pass the filters and how many show a risk sign."""

    rows: list
    total: int
    risky: int


def search(principal, scope: Scope, filters: Filters, page: int, page_size: int, request_id: str | None) -> SearchPage:
    """Page ``page`` of the entries the filters find; the search itself is logged."""
    stmt = entries_query(scope, filters)
    total = count(stmt)
    risky = total if filters.risk else count(entries_query(scope, replace(filters, risk=True)))
    # On the risk list emergency access comes first: it is the sign a reviewer must always see.
    first = (case((_emergency(), 0), else_=1),) if filters.risk else ()
    entries = db.session.scalars(stmt.order_by(*first, PdlEntry.seq.desc()).limit(page_size)
                                 .offset((page - 1) * page_size)).all()
    rows = describe(entries)
    record_search(principal, filters, "log_search", request_id)
    return SearchPage(rows, total, risky)


def export(principal, scope: Scope, filters: Filters, request_id: str | None) -> list[Row]:
    """Every entry the filters find, oldest first; the export itself is logged."""
    entries = db.session.scalars(entries_query(scope, filters).order_by(PdlEntry.seq)).all()
    rows = describe(entries)
    record_search(principal, filters, "log_export", request_id, detail_suffix=f" rows={len(entries)}")
    return rows


def record_search(principal, filters: Filters, kind: str, request_id: str | None, detail_suffix: str = "") -> None:
    """The search is logged; looking into one resident's log is an access to that resident."""
    security_log.event(kind, "ok", actor_type="staff", actor_id=principal.id,
                       detail=(filters.summary() + detail_suffix)[:300], request_id=request_id)
    if filters.resident is not None:
        pdl.record(principal.access_context(ROLE, request_id), action="export" if kind == "log_export" else "read",
                   resource_type="pdl_log", resource_id=filters.resident.id, resident_id=filters.resident.id,
                   access_basis="log_follow_up")


def count(stmt) -> int:
    """How many rows the query gives, without fetching them."""
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
