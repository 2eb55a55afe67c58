"""One transaction per request, owned by the app: what an auditor finds in the database afterwards,
read through a fresh session (so only what was committed counts)."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from access import directory
from access.models import CareProvider
from access.records import PdlEntry, SecurityEvent
from engine.db import db
from notify.models import OutboxMessage
from tests.web.apps import app_with_failures
from tests.web.signin import demo  # noqa: F401


@pytest.fixture(scope="module")
def failing(app):
    return app_with_failures(app)


def committed(stmt) -> list:
    """What another connection sees: committed rows only."""
    with Session(db.engine) as fresh:
        return list(fresh.scalars(stmt))


def pdl_about(marker: str) -> list[PdlEntry]:
    return committed(select(PdlEntry).where(PdlEntry.resource_id == marker))


def events_about(marker: str) -> list[SecurityEvent]:
    return committed(select(SecurityEvent).where(SecurityEvent.subject == marker))


@pytest.mark.parametrize("code", [403, 404])
def test_what_was_written_before_a_403_or_a_404_is_kept(ctx, failing, code):
    response = failing.test_client().get(f"/_test/record-then/{code}?marker=m{code}")
    assert response.status_code == code
    assert len(pdl_about(f"m{code}")) == 1 and len(events_about(f"m{code}")) == 1


def test_a_403_is_a_security_event_committed_with_what_the_view_wrote(ctx, failing):
    assert failing.test_client().get("/_test/record-then/403?marker=refused").status_code == 403
    refusals = committed(select(SecurityEvent).where(SecurityEvent.kind == "access_refused"))
    assert [(e.subject, e.detail) for e in refusals] == [("failures.record_then", "refused")]


def test_what_was_written_before_a_crash_is_rolled_back(ctx, failing):
    response = failing.test_client().get("/_test/record-then/crash?marker=crashed")
    assert response.status_code == 500 and "Något gick fel" in response.text
    assert pdl_about("crashed") == [] and events_about("crashed") == []


def test_a_commit_that_fails_is_a_500_and_leaves_nothing_half_done(ctx, failing):
    directory.create_care_provider("SE2321000016-TAKN", "Region Taken")
    db.session.commit()
    client = failing.test_client()
    response = client.get("/_test/commit-fails?marker=half&taken=SE2321000016-TAKN")
    assert response.status_code == 500 and "Något gick fel" in response.text
    assert "Location" not in response.headers and client.get_cookie("half_done") is None
    assert pdl_about("half") == [] and events_about("half") == []
    assert len(committed(select(CareProvider).where(CareProvider.hsa_id == "SE2321000016-TAKN"))) == 1
    assert client.get("/_test/record-then/404?marker=after").status_code == 404  # the next request works
    assert len(pdl_about("after")) == 1


@pytest.fixture()
def wake_ups(monkeypatch):
    """The wake-ups sent, each with whether its outbox row was committed when it was sent."""
    from tasks import notify_actors
    sent = []

    def send(message_id):
        sent.append((message_id, len(committed(select(OutboxMessage).where(OutboxMessage.id == message_id)))))
    monkeypatch.setattr(notify_actors.send_notification, "send", send)
    return sent


def test_a_wake_up_is_sent_once_after_the_requests_commit(ctx, failing, wake_ups):
    client = failing.test_client()
    assert client.get("/_test/notify-then/ok?marker=n1").status_code == 200
    [row] = committed(select(OutboxMessage))
    assert wake_ups == [(row.id, 1)]
    assert client.get("/_test/record-then/404?marker=later").status_code == 404
    assert wake_ups == [(row.id, 1)]  # a later commit sends nothing again


def test_no_wake_up_and_no_outbox_row_after_a_crash(ctx, failing, wake_ups):
    assert failing.test_client().get("/_test/notify-then/crash?marker=n2").status_code == 500
    assert wake_ups == [] and committed(select(OutboxMessage)) == []


def test_real_refusals_are_on_record(demo):
    client = demo.staff("behandlare")
    assert client.get("/invanare/no-such-resident").status_code == 404
    [row] = committed(select(PdlEntry).where(PdlEntry.resource_id == "no-such-resident"))
    assert (row.action, row.outcome) == ("read", "denied")
    assert client.get("/admin/vardenheter").status_code == 403
    refusals = committed(select(SecurityEvent).where(SecurityEvent.kind == "access_refused"))
    assert [e.subject for e in refusals] == ["admin.units"]
