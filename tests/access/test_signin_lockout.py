"""Sign-in failures count per account, however it is named, and per address; successes never
count; a wrong password five times buys the account a doubling wait, not a lock (issue 9)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from access.records import SecurityEvent
from engine import clock
from engine.db import db
from tests.access.test_signin import org, password_step  # noqa: F401


def _events(kind):
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.kind == kind).order_by(SecurityEvent.id)))


def test_failures_by_hsa_id_hold_the_same_account_signed_in_by_e_mail(ctx, org):
    client = ctx.test_client()
    staff = org.staff["designer"]
    for _ in range(5):
        assert password_step(client, staff.hsa_id, "wrong").status_code == 401
    assert password_step(client, staff.email).status_code == 429
    assert password_step(client, staff.email.upper()).status_code == 429


def test_case_variants_of_the_names_are_one_account(ctx, org):
    client = ctx.test_client()
    staff = org.staff["designer"]
    for name in (staff.hsa_id.lower(), staff.hsa_id, staff.email.upper(), staff.email, f"  {staff.email.title()} "):
        assert password_step(client, name, "wrong").status_code == 401
    assert password_step(client, staff.hsa_id).status_code == 429
    [*_, last] = _events("signin_password")
    assert last.actor_id == staff.id and last.subject is None  # the account, not the text typed


def test_text_that_names_nobody_is_counted_as_typed_whatever_its_case(ctx, org):
    client = ctx.test_client()
    for _ in range(5):
        assert password_step(client, "nobody@example.se", "x").status_code == 401
    assert password_step(client, "NOBODY@example.se", "x").status_code == 429
    assert password_step(client, "somebody@example.se", "x").status_code == 401


def test_successful_sign_ins_do_not_count_against_the_address(ctx, org):
    client = ctx.test_client()  # a clinic behind one NAT address
    staff = org.staff["behandlare"]
    assert [password_step(client, staff.hsa_id).status_code for _ in range(35)] == [302] * 35


def test_the_wait_doubles_with_each_failure_and_ends_by_itself(ctx, org):
    client = ctx.test_client()
    staff = org.staff["designer"]
    for _ in range(5):
        password_step(client, staff.hsa_id, "wrong")
    waiting = password_step(client, staff.hsa_id)
    assert waiting.status_code == 429 and waiting.headers["Retry-After"] == "30"
    assert "30 sekunder" in waiting.get_data(as_text=True)
    clock.advance(timedelta(seconds=31))
    assert password_step(client, staff.hsa_id, "wrong").status_code == 401  # checked again, and counted
    assert password_step(client, staff.hsa_id).headers["Retry-After"] == "60"
    clock.advance(timedelta(seconds=61))
    assert password_step(client, staff.hsa_id).status_code == 302


def test_a_wait_is_not_a_lock_and_attempts_during_it_are_not_counted(ctx, org):
    attacker, owner = ctx.test_client(), ctx.test_client()
    staff = org.staff["designer"]
    for _ in range(5):
        password_step(attacker, staff.hsa_id, "wrong")
    for _ in range(20):  # hammering during the wait neither checks the password nor lengthens it
        assert password_step(attacker, staff.hsa_id, "wrong").status_code == 429
    locked = _events("signin_locked")
    assert len(locked) == 20 and locked[-1].actor_id == staff.id and locked[-1].detail == "wait 30 s"
    clock.advance(timedelta(seconds=31))
    assert password_step(owner, staff.hsa_id).status_code == 302


def test_failures_and_waits_count_against_the_address(ctx, org):
    client = ctx.test_client()
    staff = org.staff["designer"]
    statuses = [password_step(client, staff.hsa_id, "wrong").status_code for _ in range(31)]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429] * 26
    assert len(_events("rate_limited")) == 1  # the 31st: the address, not only the account, was stopped
