"""Random samples of the PDL log without a request (access.logreview): how big, which period,
in whose scope, and a decision that is documented once."""
from __future__ import annotations

from datetime import date

import pytest

from access import logreview, logsearch, pdl
from engine.db import db
from tests.care.people import principal, seeded
from tests.web.signin import security_events


@pytest.fixture()
def org(ctx):
    org = seeded()
    bodil = org.staff["behandlare"]
    context = pdl.AccessContext("staff", bodil.id, bodil.display_name, "behandlare", org.providers["region"].id,
                                org.units["nord"].id, "a1", "vard_och_behandling", "r1")
    for key in ("anna", "bo", "cecilia"):
        pdl.record(context, action="read", resource_type="resident", resource_id=org.residents[key].id,
                   resident_id=org.residents[key].id, access_basis="care_relation")
    db.session.commit()
    return org


@pytest.mark.parametrize("asked, size", [("3", 3), ("0", 1), ("500", logreview.MAX_SIZE), ("", 20), (None, 20),
                                         ("-5", 20), ("tre", 20)])
def test_a_sample_is_between_one_and_the_maximum_and_twenty_when_not_said(asked, size):
    assert logreview.sample_size(asked) == size


def test_a_sample_needs_a_whole_period_in_order():
    def problem(**source):
        return logreview.sample_problem(logsearch.read_filters(source, logsearch.Scope(set(), set())))
    assert problem() == "period"
    assert problem(**{"from": "2026-11-24"}) == "period"
    assert problem(**{"from": "2026-11-24", "to": "24/11"}) == "period"
    assert problem(**{"from": "2026-11-24", "to": "2026-11-23"}) == "order"
    assert problem(**{"from": "2026-11-24", "to": "2026-11-24"}) is None


def draw(org, size=2):
    reviewer = principal(org.staff["loggranskare"])
    scope = logsearch.scope_of(reviewer)
    chosen = logsearch.read_filters({"from": "2026-11-24", "to": "2026-11-24"}, scope)
    return reviewer, scope, logreview.draw_sample(reviewer, scope, chosen, size, "req-1")


def test_a_sample_draws_entries_of_the_period_in_scope_and_is_logged(org):
    reviewer, scope, found = draw(org)
    db.session.commit()
    assert len(found.entry_ids) == 2 and found.care_provider_id == org.providers["region"].id
    assert (found.period_from, found.period_to) == (date(2026, 11, 24), date(2026, 11, 24))
    assert security_events("log_sample_created")[0].detail == "2 entries"
    rows = logreview.open_review(reviewer, scope, found, "req-2")
    assert {row.entry.id for row in rows} == set(found.entry_ids)
    assert [e.request_id for e in security_events("log_review_opened")] == ["req-2"]
    assert logreview.recent(scope) == [found]


def test_another_providers_sample_is_not_found(org):
    _reviewer, _scope, found = draw(org)
    db.session.commit()
    assert logreview.find(logsearch.Scope({org.providers["privat"].id}, set()), found.id) is None
    assert logreview.find(logsearch.Scope({org.providers["region"].id}, set()), found.id) is found


def test_a_decision_is_documented_once_and_follow_up_says_what(org):
    reviewer, _scope, found = draw(org)
    assert logreview.decide(reviewer, found, "maybe", "", "r") == "decision"
    assert logreview.decide(reviewer, found, "follow_up", "   ", "r") == "comment_missing"
    too_long = "x" * (logreview.MAX_COMMENT + 1)
    assert logreview.decide(reviewer, found, "ok", too_long, "r") == "comment_too_long"
    assert found.decision is None and security_events("log_review_decided") == []
    assert logreview.decide(reviewer, found, "follow_up", " Kontrollera Bo ", "r") is None
    assert (found.decision, found.comment) == ("follow_up", "Kontrollera Bo") and found.decided_at
    assert logreview.decide(reviewer, found, "ok", "", "r") == "decided"
    assert found.decision == "follow_up" and len(security_events("log_review_decided")) == 1
