"""Log follow-up: a reviewer searches, pages, exports and samples their own provider's (or
unit's) entries only, sees the risk signs, and every search is itself logged."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

import engine

from access import directory, logsearch, pdl, personnummer
from access.models import Assignment
from access.records import LogReview, PdlEntry
from engine import clock
from engine.db import db
from tests.web.signin import demo, missing_context, pdl_rows, post, security_events  # noqa: F401
from web.logs.search import EXPORT_COLUMNS


@pytest.fixture()
def logged(demo):
    """Bodil reads Anna and Cecilia and is refused Fredrik; Sven reads Fredrik; Petra reads Greta."""
    bodil = demo.staff("behandlare")
    for key in ("anna", "cecilia", "fredrik"):
        bodil.get(f"/invanare/{demo.resident(key).id}")
    demo.staff("syd").get(f"/invanare/{demo.resident('fredrik').id}")
    demo.staff("privat").get(f"/invanare/{demo.resident('greta').id}")
    return demo


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_a_reviewer_sees_their_providers_entries_and_the_search_is_logged(logged):
    page = logged.staff("loggranskare").get("/loggar")
    assert page.status_code == 200
    assert "Bodil Behandlare" in page.text and "Anna Andersson" in page.text and "Sven Sydbehandlare" in page.text
    assert "Petra" not in page.text and "Greta" not in page.text
    [event] = security_events("log_search")
    assert event.actor_id == logged.org.staff["loggranskare"].id and event.request_id


def test_a_protected_identity_is_masked_in_the_log(logged):
    cecilia = logged.resident("cecilia")
    page = logged.staff("loggranskare").get("/loggar").text
    assert "Cecilia" not in page and personnummer.masked(cecilia.personnummer) in page
    assert personnummer.formatted(cecilia.personnummer) not in page


def test_searching_one_residents_log_is_a_logged_access_to_that_resident(logged):
    anna = logged.resident("anna")
    client = logged.staff("loggranskare")
    page = post(client, "/loggar", {"pnr": personnummer.formatted(anna.personnummer)}).text
    assert "Anna Andersson" in page and "Fredrik" not in page
    [row] = pdl_rows(resident_id=anna.id, resource_type="pdl_log")
    assert (row.role, row.action, row.access_basis) == ("loggranskare", "read", "log_follow_up")
    assert missing_context(row) == []
    greta = logged.resident("greta")
    other = post(client, "/loggar", {"pnr": greta.personnummer}).text
    assert "Greta" not in other and "Petra" not in other


def test_filters_by_staff_unit_and_period(logged):
    client = logged.staff("loggranskare")
    by_staff = client.get("/loggar", query_string={"staff": logged.hsa("syd")}).text
    assert "Sven Sydbehandlare" in by_staff and "Bodil Behandlare" not in by_staff
    by_unit = client.get("/loggar", query_string={"unit": logged.org.units["nord"].id}).text
    assert "Bodil Behandlare" in by_unit and "Sven Sydbehandlare" not in by_unit
    tomorrow = (clock.now() + timedelta(days=1)).date().isoformat()
    later = client.get("/loggar", query_string={"from": tomorrow}).text
    assert "Bodil Behandlare" not in later
    assert client.get("/loggar", query_string={"unit": logged.org.units["privat"].id}).status_code == 403


def test_the_risk_list_holds_denied_protected_off_hours_and_same_name_entries(logged):
    tova = directory.create_resident("20000101-0008", "Tova", "Behandlare")
    db.session.commit()
    engine.start(logged.version, engine.SYSTEM, unit_id=logged.org.units["nord"].id, subject_id=tova.id)
    db.session.commit()
    clock.advance(timedelta(hours=11))  # 21:00 in Stockholm
    late = logged.staff("behandlare")
    late.get(f"/invanare/{logged.resident('anna').id}")
    late.get(f"/invanare/{tova.id}")
    page = logged.staff("loggranskare").get("/loggar", query_string={"risk": "1"}).text
    risky = {(e.resident_id, e.action, e.ts) for e in db.session.scalars(
        logsearch.entries_query(logsearch.Scope({logged.org.providers["region"].id}, set()),
                                logsearch.Filters(risk=True)))}
    resident_ids = {r for r, _a, _t in risky}
    assert {logged.resident(k).id for k in ("fredrik", "cecilia", "anna")} | {tova.id} <= resident_ids
    morning_reads_of_anna = [e for e in pdl_rows(resident_id=logged.resident("anna").id)
                             if not logsearch.is_off_hours(e.ts)]
    assert all((e.resident_id, e.action, e.ts) not in risky for e in morning_reads_of_anna)
    assert "Tova" in page


def test_the_sql_risk_filter_and_the_row_signs_agree(logged):
    clock.advance(timedelta(days=4))  # a Saturday
    logged.staff("behandlare").get(f"/invanare/{logged.resident('anna').id}")
    scope = logsearch.Scope({logged.org.providers["region"].id}, set())
    everything = db.session.scalars(logsearch.entries_query(scope, logsearch.Filters())).all()
    flagged = {e.id for e in db.session.scalars(logsearch.entries_query(scope, logsearch.Filters(risk=True)))}
    assert {row.entry.id for row in logsearch.describe(everything) if row.risks} == flagged
    assert flagged and len(flagged) < len(everything)


def test_the_log_is_paged_fifty_at_a_time(logged):
    bodil = logged.org.staff["behandlare"]
    context = pdl.AccessContext("staff", bodil.id, bodil.display_name, "behandlare",
                                logged.org.providers["region"].id, logged.org.units["nord"].id, "a1",
                                "vard_och_behandling", "r1")
    for _ in range(60):
        pdl.record(context, action="read", resource_type="resident", resource_id="x",
                   resident_id=logged.resident("bo").id, access_basis="care_relation")
    db.session.commit()
    client = logged.staff("loggranskare")
    first, second = client.get("/loggar").text, client.get("/loggar?page=2").text
    assert first.count("Bo Berg") == 50 and second.count("Bo Berg") == 10


def test_the_export_has_the_documented_columns_and_masks_protected_identities(logged):
    client = logged.staff("loggranskare")
    response = client.get("/loggar/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = _csv(response)
    assert list(rows[0]) == [name for name, _description in EXPORT_COLUMNS]
    cecilia, greta = logged.resident("cecilia"), logged.resident("greta")
    numbers = {r["resident_personnummer"] for r in rows}
    assert personnummer.masked(cecilia.personnummer) in numbers
    assert personnummer.formatted(cecilia.personnummer) not in response.text
    assert personnummer.formatted(greta.personnummer) not in numbers
    assert {r["care_provider_hsa_id"] for r in rows} == {logged.org.providers["region"].hsa_id}
    assert security_events("log_export")[-1].actor_id == logged.org.staff["loggranskare"].id


def test_a_random_sample_is_drawn_in_scope_reviewed_and_decided_once(logged):
    client = logged.staff("loggranskare")
    today = clock.now().date().isoformat()
    response = post(client, "/loggar/stickprov", {"from": today, "to": today, "size": "3"}, token_from="/loggar")
    assert response.status_code == 302
    review = db.session.scalars(select(LogReview)).one()
    assert len(review.entry_ids) == 3
    providers = {db.session.get(PdlEntry, i).care_provider_id for i in review.entry_ids}
    assert providers == {logged.org.providers["region"].id}
    path = f"/loggar/stickprov/{review.id}"
    assert client.get(path).status_code == 200
    decided = post(client, path, {"decision": "follow_up", "comment": "Kontrollera läsningen"})
    assert decided.status_code == 302
    db.session.refresh(review)
    assert (review.decision, review.comment) == ("follow_up", "Kontrollera läsningen") and review.decided_at
    again = post(client, path, {"decision": "ok"})
    assert again.status_code == 400
    db.session.refresh(review)
    assert review.decision == "follow_up"


def test_a_sample_needs_a_period(logged):
    response = post(logged.staff("loggranskare"), "/loggar/stickprov", {"from": "", "to": ""}, token_from="/loggar")
    assert response.status_code == 400 and db.session.scalars(select(LogReview)).all() == []


def test_a_unit_reviewer_sees_their_unit_only(logged):
    sven, syd = logged.org.staff["syd"], logged.org.units["syd"]
    directory.grant_role(sven, "loggranskare", "unit", syd.id, granted_by="test")
    db.session.commit()
    region_review = LogReview(id="r" * 32, reviewer_id="x", care_provider_id=logged.org.providers["region"].id,
                              period_from=clock.now().date(), period_to=clock.now().date(), entry_ids=[])
    db.session.add(region_review)
    db.session.commit()
    client = logged.staff("syd")
    page = client.get("/loggar").text
    assert "Sven Sydbehandlare" in page and "Bodil Behandlare" not in page and "Anna" not in page
    assert client.get("/loggar", query_string={"unit": logged.org.units["nord"].id}).status_code == 403
    assert client.get(f"/loggar/stickprov/{region_review.id}").status_code == 404
    assert {r["unit_hsa_id"] for r in _csv(client.get("/loggar/export.csv"))} == {syd.hsa_id}


def test_a_reviewer_of_another_provider_cannot_open_this_providers_sample(logged):
    client = logged.staff("loggranskare")
    today = clock.now().date().isoformat()
    post(client, "/loggar/stickprov", {"from": today, "to": today}, token_from="/loggar")
    review = db.session.scalars(select(LogReview)).one()
    petra = logged.org.staff["privat"]
    directory.grant_role(petra, "loggranskare", "unit", logged.org.units["privat"].id, granted_by="test")
    db.session.commit()
    other = logged.staff("privat")
    assert other.get(f"/loggar/stickprov/{review.id}").status_code == 404
    assert "Bodil" not in other.get("/loggar").text


def test_only_reviewers_reach_the_log(logged):
    for key in ("behandlare", "vardgivaradmin", "nationell"):
        client = logged.staff(key)
        assert client.get("/loggar").status_code == 403
        assert client.get("/loggar/export.csv").status_code == 403
    assert logged.client().get("/loggar").status_code == 302


def test_a_revoked_assignment_takes_the_reviewer_role_with_it(logged):
    lars = logged.org.staff["loggranskare"]
    assignment = db.session.scalar(select(Assignment).where(Assignment.staff_id == lars.id))
    directory.revoke_assignment(assignment, actor_id="test")
    db.session.commit()
    assert logged.staff("loggranskare").get("/loggar").status_code == 403


@pytest.mark.parametrize("what", ["assignment", "unit"])
def test_an_ended_assignment_or_closed_unit_ends_the_review_at_once(logged, what):
    client = logged.staff("loggranskare")
    lars = logged.org.staff["loggranskare"]
    assignment = db.session.scalar(select(Assignment).where(Assignment.staff_id == lars.id))
    ended = assignment if what == "assignment" else assignment.unit
    ended.valid_to = clock.now().date() - timedelta(days=1)
    db.session.commit()
    page = client.get("/loggar")
    assert page.status_code == 403 and "Bodil" not in page.text
    assert client.get("/loggar/export.csv").status_code == 403
    assert security_events("access_refused")[-1].actor_id == lars.id


def test_a_log_search_by_personnummer_leaves_it_in_no_address_and_no_log_line(logged, caplog):
    # Given a reviewer searching one resident's log by personnummer, then the number travels in the
    # form only: the paging and export links carry the resident's id, no address or log line
    # holds the number, and an old ?pnr= bookmark shows the unfiltered list without searching.
    import logging
    caplog.set_level(logging.DEBUG)
    anna = logged.resident("anna")
    client = logged.staff("loggranskare")
    numbers = {personnummer.formatted(anna.personnummer), anna.personnummer}
    response = post(client, "/loggar", {"pnr": personnummer.formatted(anna.personnummer), "risk": ""})
    assert "Anna Andersson" in response.text and "Sven Sydbehandlare" not in response.text
    assert not [number for number in numbers if number in response.request.url]
    export = re.search(r'href="(/loggar/export.csv[^"]*)"', response.text).group(1).replace("&amp;", "&")
    assert f"resident={anna.id}" in export and not [n for n in numbers if n in export]
    assert {row["resident_personnummer"] for row in _csv(client.get(export)) if row["resident_personnummer"]} == {
        personnummer.formatted(anna.personnummer)}
    assert not [line for line in caplog.text.splitlines() if any(number in line for number in numbers)]
    bookmark = client.get("/loggar", query_string={"pnr": anna.personnummer}).text
    assert "Sven Sydbehandlare" in bookmark
