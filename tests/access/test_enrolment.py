"""Staff enrolment: a single-use link from the outbox lets a registered member of staff choose a
password and connect TOTP; the link expires, is used once, and a new one replaces the old."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from access import directory, enrolment, totp
from access.models import EnrolmentToken, Staff
from access.records import SecurityEvent
from engine import clock
from engine.db import db
from notify.models import OutboxMessage

BASE = "https://vardflode.example"
PASSWORD = "korrekt häst batteri häftstift"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SECRET = re.compile(r'name="totp_secret" value="([A-Z2-7]+)"')


@pytest.fixture()
def newcomer(ctx):
    clock.freeze(clock.now())
    staff = directory.create_staff("SE2321000016-NY01", "Nora", "Nyberg", email="nora@example.se")
    db.session.commit()
    return staff


def issue(staff):
    token, ids = enrolment.issue(staff, None, None, base_url=BASE)
    db.session.commit()
    return token, ids


def redeem(token, secret=None, password=PASSWORD, again=None, code=None):
    secret = secret or pyotp.random_base32()
    return enrolment.redeem(token, password, password if again is None else again, secret,
                            code if code is not None else totp.current_code(secret)), secret


def test_issue_stores_only_a_hash_and_queues_the_link(newcomer):
    token, ids = issue(newcomer)
    assert len(token) >= 43  # 32 random bytes
    row = db.session.scalar(select(EnrolmentToken))
    assert row.token_hash != token and token not in row.token_hash
    assert row.expires_at - row.issued_at == timedelta(hours=72)
    message = db.session.get(OutboxMessage, ids[0])
    assert message.channel == "email" and message.recipient == "nora@example.se"
    assert f"{BASE}/aktivera/{token}" in message.body and "72" in message.body
    assert "Nora" not in message.body
    kinds = set(db.session.scalars(select(SecurityEvent.kind)))
    assert "staff_enrolment_issued" in kinds
    assert token not in " ".join(str(e.detail) for e in db.session.scalars(select(SecurityEvent)))


def test_redeem_sets_credentials_once(newcomer):
    token, _ = issue(newcomer)
    staff, secret = redeem(token)
    db.session.commit()
    assert staff.password_hash and staff.totp_secret == secret and enrolment.has_credentials(staff)
    with pytest.raises(enrolment.EnrolmentError) as refusal:
        redeem(token)
    assert refusal.value.code == "invalid_token"
    assert "staff_enrolled" in set(db.session.scalars(select(SecurityEvent.kind)))


def test_expired_and_unknown_tokens_get_the_same_refusal(newcomer):
    token, _ = issue(newcomer)
    clock.freeze(clock.now() + timedelta(hours=72, seconds=1))
    for attempt in (token, "x" * 43, ""):
        with pytest.raises(enrolment.EnrolmentError) as refusal:
            redeem(attempt)
        assert refusal.value.code == "invalid_token"


def test_a_new_link_revokes_the_old(newcomer):
    old, _ = issue(newcomer)
    new, _ = issue(newcomer)
    with pytest.raises(enrolment.EnrolmentError):
        redeem(old)
    redeem(new)


@pytest.mark.parametrize("password,again,code", [
    ("kort", "kort", "password_short"),
    (PASSWORD, PASSWORD + "x", "password_mismatch"),
    ("SE2321000016-NY01", "SE2321000016-NY01", "password_guessable"),
    ("nora@example.se", "nora@example.se", "password_guessable"),
    ("aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "password_guessable"),
])
def test_weak_passwords_are_refused_and_the_link_still_works(newcomer, password, again, code):
    token, _ = issue(newcomer)
    with pytest.raises(enrolment.EnrolmentError) as refusal:
        redeem(token, password=password, again=again)
    assert refusal.value.code == code
    redeem(token)


def test_a_wrong_code_is_refused(newcomer):
    token, _ = issue(newcomer)
    secret = pyotp.random_base32()
    wrong = f"{(int(totp.current_code(secret)) + 1) % 1000000:06d}"
    with pytest.raises(enrolment.EnrolmentError) as refusal:
        redeem(token, secret=secret, code=wrong)
    assert refusal.value.code == "wrong_code"
    assert db.session.get(Staff, newcomer.id).password_hash is None


def test_no_link_without_an_email(ctx):
    staff = directory.create_staff("SE2321000016-NY02", "Utan", "Post")
    with pytest.raises(enrolment.EnrolmentError):
        enrolment.issue(staff, None, None, base_url=BASE)


# The page


def test_the_page_enrols_and_the_person_signs_in(app, newcomer):
    token, _ = issue(newcomer)
    client = app.test_client()
    page = client.get(f"/aktivera/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert "otpauth://totp/" in html and 'id="totp-key"' in html
    secret = SECRET.search(html).group(1)
    data = {"csrf_token": TOKEN.search(html).group(1), "totp_secret": secret, "password": PASSWORD,
            "password_again": "fel", "code": totp.current_code(secret)}
    refused = client.post(f"/aktivera/{token}", data=data)
    assert refused.status_code == 422 and 'id="error-summary"' in refused.get_data(as_text=True)
    data["password_again"] = PASSWORD
    done = client.post(f"/aktivera/{token}", data=data)
    assert done.status_code == 302 and "/logga-in/medarbetare" in done.headers["Location"]
    assert 'id="enrolled"' in client.get(done.headers["Location"]).get_data(as_text=True)
    again = client.get(f"/aktivera/{token}")
    assert again.status_code == 404 and 'id="enrol-invalid"' in again.get_data(as_text=True)
    # The new credentials work at the ordinary sign-in.
    from tests.access.test_signin import code_step, password_step
    clock.freeze(clock.now() + timedelta(seconds=60))  # the confirming code's step is used up
    assert password_step(client, newcomer.hsa_id, PASSWORD).status_code == 302
    staff = db.session.get(Staff, newcomer.id)
    assert code_step(client, totp.current_code(staff.totp_secret)).status_code == 302


def test_an_unknown_link_shows_a_plain_refusal(app, ctx):
    page = app.test_client().get("/aktivera/" + "a" * 43)
    assert page.status_code == 404 and 'id="enrol-invalid"' in page.get_data(as_text=True)
