"""Searching the PDL log without a request (access.logsearch): the filters a reviewer uses, the
scope no filter reaches past, the risk list, and that every search is itself logged."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from access import logsearch, pdl, personnummer
from engine import clock
from engine.db import db
from tests.care.people import WORKDAY, principal, seeded
from tests.web.signin import pdl_rows, security_events

LATE = datetime(2026, 11, 24, 23, 30, tzinfo=timezone.utc)  # already 25 November in Stockholm


@pytest.fixture()
def org(ctx):
    """Bodil (Nord) reads Anna in the morning and Bo late at night and is refused David; Sven (Syd)
    reads Fredrik; Petra at the private provider reads David."""
    org = seeded()
    read(org, "behandlare", "anna")
    read(org, "syd", "fredrik")
    read(org, "behandlare", "david", outcome="denied")
    read(org, "privat", "david")
    clock.freeze(LATE)
    read(org, "behandlare", "bo")
    clock.freeze(WORKDAY + timedelta(days=1, hours=1))
    db.session.commit()
    return org


def read(org, staff_key, resident_key, outcome="allowed"):
    member = org.staff[staff_key]
    unit = {"behandlare": "nord", "syd": "syd", "privat": "privat"}[staff_key]
    provider = "privat" if unit == "privat" else "region"
    context = pdl.AccessContext("staff", member.id, member.display_name, "behandlare", org.providers[provider].id,
                                org.units[unit].id, "a1", "vard_och_behandling", "r1")
    pdl.record(context, action="read", resource_type="resident", resource_id=org.residents[resident_key].id,
               resident_id=org.residents[resident_key].id, outcome=outcome,
               access_basis="care_relation" if outcome == "allowed" else None)


def region(org) -> logsearch.Scope:
    return logsearch.Scope({org.providers["region"].id}, set())


def found(org, scope=None, typed=True, **source) -> list[tuple[str, str]]:
    """(staff given name, resident given name) of the entries the filters find, oldest first;
    ``typed``: the filters come from the search form rather than a link."""
    filters = logsearch.read_filters(source, scope or region(org), typed=typed)
    rows = logsearch.describe(db.session.scalars(logsearch.entries_query(scope or region(org), filters)
                                                 .order_by(logsearch.PdlEntry.seq)).all())
    return [(row.staff.given_name, row.resident.given_name) for row in rows]


def test_the_scope_keeps_other_providers_out_whatever_the_filters(org):
    assert found(org) == [("Bodil", "Anna"), ("Sven", "Fredrik"), ("Bodil", "David"), ("Bodil", "Bo")]
    assert found(org, staff=org.staff["privat"].hsa_id) == []
    unit_only = logsearch.Scope(set(), {org.units["syd"].id})
    assert found(org, unit_only) == [("Sven", "Fredrik")]
    with pytest.raises(logsearch.OutsideScope):
        logsearch.read_filters({"unit": org.units["privat"].id}, region(org))


def test_filters_narrow_to_a_staff_member_a_unit_and_a_resident(org):
    assert found(org, staff=org.staff["syd"].hsa_id.lower()) == [("Sven", "Fredrik")]
    assert found(org, unit=org.units["nord"].id) == [("Bodil", "Anna"), ("Bodil", "David"), ("Bodil", "Bo")]
    anna = org.residents["anna"]
    assert found(org, pnr=personnummer.formatted(anna.personnummer)) == [("Bodil", "Anna")]


def test_dates_are_swedish_days(org):
    assert found(org, to="2026-11-24") == [("Bodil", "Anna"), ("Sven", "Fredrik"), ("Bodil", "David")]
    assert found(org, **{"from": "2026-11-25", "to": "2026-11-25"}) == [("Bodil", "Bo")]


def test_badly_written_filters_are_named_once_per_field(org):
    filters = logsearch.read_filters({"from": "24/11/2026", "to": "igår", "pnr": "123"}, region(org), typed=True)
    assert filters.problems == ["date", "date", "personnummer"]
    assert (filters.date_from, filters.date_to) == (None, None)
    good = logsearch.read_filters({"from": "2026-11-24"}, region(org))
    assert good.problems == [] and good.date_from == date(2026, 11, 24)


def test_someone_who_is_nobodys_resident_gives_an_empty_result_and_no_message(org):
    stranger = "19121212-1212"
    filters = logsearch.read_filters({"pnr": stranger}, region(org), typed=True)
    assert filters.problems == [] and filters.resident is None
    assert found(org, pnr=stranger) == []
    again = logsearch.read_filters(filters.args(), region(org))  # the paging link: no number in it
    assert filters.args() == {"resident": "-"} and again.resident is None
    assert found(org, typed=False, resident="-") == []


def test_a_paging_link_names_the_resident_by_id_and_a_number_counts_only_from_the_form(org):
    anna = org.residents["anna"]
    typed = logsearch.read_filters({"pnr": anna.personnummer}, region(org), typed=True)
    assert typed.args() == {"resident": anna.id}
    from_link = logsearch.read_filters(typed.args(), region(org))
    assert from_link.resident.id == anna.id and from_link.pnr == personnummer.formatted(anna.personnummer)
    assert found(org, typed=False, resident=anna.id) == [("Bodil", "Anna")]
    everyone = found(org)
    assert found(org, typed=False, pnr=anna.personnummer) == everyone  # a number in an address is ignored

def test_the_risk_list_holds_the_denied_and_the_late_access(org):
    assert found(org, risk="1") == [("Bodil", "David"), ("Bodil", "Bo")]


def test_a_search_pages_newest_first_counts_the_risky_and_is_logged(org):
    reviewer = principal(org.staff["loggranskare"])
    scope = logsearch.scope_of(reviewer)
    assert not scope.empty and scope.provider_ids == {org.providers["region"].id}
    page = logsearch.search(reviewer, scope, logsearch.read_filters({}, scope), 1, 3, "req-1")
    assert (page.total, page.risky) == (4, 2)
    assert [row.resident.given_name for row in page.rows] == ["Bo", "David", "Fredrik"]
    assert [row.risks for row in page.rows][:2] == [["off_hours"], ["denied"]]
    second = logsearch.search(reviewer, scope, logsearch.read_filters({}, scope), 2, 3, "req-2")
    assert [row.resident.given_name for row in second.rows] == ["Anna"]
    assert [e.request_id for e in security_events("log_search")] == ["req-1", "req-2"]
    assert pdl_rows(resource_type="pdl_log") == []  # not about one resident: no PDL row


def test_looking_into_one_residents_log_is_an_access_to_that_resident(org):
    reviewer = principal(org.staff["loggranskare"])
    scope = logsearch.scope_of(reviewer)
    anna = org.residents["anna"]
    filters = logsearch.read_filters({"pnr": anna.personnummer}, scope, typed=True)
    rows = logsearch.export(reviewer, scope, filters, "req-3")
    assert [row.resident.id for row in rows] == [anna.id]
    [row] = pdl_rows(resource_type="pdl_log")
    assert (row.resident_id, row.action, row.role, row.request_id) == (anna.id, "export", "loggranskare", "req-3")
    [event] = security_events("log_export")
    assert event.detail.endswith("rows=1") and anna.personnummer not in event.detail


def test_someone_without_a_log_reviewer_grant_has_an_empty_scope(org):
    assert logsearch.scope_of(principal(org.staff["behandlare"])).empty
