"""Staff enrolment: a member of staff an administrator registered gets a single-use link by e-mail
and with it chooses a password and connects an authenticator app (TOTP).

The token is 32 random bytes, only its SHA-256 is stored, it is valid for 72 hours and a new one
replaces every older one. Unknown, used, replaced and expired tokens get one and the same refusal,
so the page tells nobody which tokens once existed."""
from __future__ import annotations

import secrets
from datetime import timedelta

import pyotp
from sqlalchemy import select, update

from access import security_log, totp
from access.models import EnrolmentToken, Staff
from access.secrets_hashing import hash_secret, token_digest
from engine import clock
from engine.db import db

VALID_FOR = timedelta(hours=72)
TOKEN_BYTES = 32
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256  # Argon2 copes, but a megabyte "password" is an attack, not a choice


class EnrolmentError(Exception):
    """A refusal the page can show: ``code`` names which one (never more than the person may know)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def issue(staff: Staff, issued_by: str | None, request_id: str | None, *, base_url: str,
          locale: str | None = None) -> tuple[str, list[str]]:
    """Make a new enrolment link for ``staff``, revoking older ones, and queue the e-mail with it.
    Returns the token (for the caller's tests and the e-mail only; never log it) and the new
    outbox ids, which the caller hands to ``tasks.notify_actors.send_after_commit``. Does not commit."""
    from notify import outbox  # notify is imported late to keep access light
    if staff.is_test or not staff.active:
        raise EnrolmentError("not_enrollable")
    if not staff.email:
        raise EnrolmentError("no_email")
    now = clock.now()
    db.session.execute(update(EnrolmentToken).where(
        EnrolmentToken.staff_id == staff.id, EnrolmentToken.used_at.is_(None),
        EnrolmentToken.revoked_at.is_(None)).values(revoked_at=now))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = EnrolmentToken(staff_id=staff.id, token_hash=token_digest(token), issued_by=issued_by,
                         issued_at=now, expires_at=now + VALID_FOR)
    db.session.add(row)
    db.session.flush()
    link = f"{base_url.rstrip('/')}/aktivera/{token}"
    ids = outbox.enqueue_enrolment(staff, link, int(VALID_FOR.total_seconds() // 3600),
                                   f"staff_enrolment:{row.id}", locale)
    security_log.event("staff_enrolment_issued", "ok", actor_type="staff" if issued_by else None,
                       actor_id=issued_by, subject=staff.id, request_id=request_id)
    return token, ids


def valid_token(token: str) -> EnrolmentToken | None:
    """The unused, unrevoked, unexpired token row for ``token``, or None (one answer for all)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    row = db.session.scalar(select(EnrolmentToken).where(EnrolmentToken.token_hash == token_digest(token)))
    if row is None or row.used_at is not None or row.revoked_at is not None:
        return None
    if clock.now() >= _aware(row.expires_at):
        return None
    return row


def new_totp_secret() -> str:
    return pyotp.random_base32()


def valid_secret(secret: str) -> bool:
    """A TOTP secret as new_totp_secret makes them: 32 base32 characters."""
    return isinstance(secret, str) and len(secret) == 32 and all(c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in secret)


def provisioning_uri(staff: Staff, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=staff.hsa_id, issuer_name="Vårdflöde")


def password_problem(staff: Staff, password: str, repeated: str) -> str | None:
    """Why ``password`` cannot be used, or None. Length over composition rules (NIST SP 800-63B)."""
    if password != repeated:
        return "password_mismatch"
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "password_long"
    lowered = password.strip().lower()
    if lowered in {(staff.hsa_id or "").lower(), (staff.email or "").lower()} or len(set(password)) < 4:
        return "password_guessable"
    return None


def redeem(token: str, password: str, repeated: str, totp_secret: str, totp_code: str,
           request_id: str | None = None) -> Staff:
    """Set the password and TOTP secret of the token's member of staff and use the token up.
    Raises EnrolmentError("invalid_token" | password problem | "wrong_code"). Does not commit."""
    row = valid_token(token)
    if row is None:
        security_log.event("staff_enrolment", "denied", detail="invalid_token", request_id=request_id)
        raise EnrolmentError("invalid_token")
    staff = db.session.get(Staff, row.staff_id)
    problem = password_problem(staff, password or "", repeated or "")
    if problem:
        security_log.event("staff_enrolment", "denied", subject=staff.id, detail=problem, request_id=request_id)
        raise EnrolmentError(problem)
    step = _confirmed_step(totp_secret, totp_code)
    if step is None:
        security_log.event("staff_enrolment", "denied", subject=staff.id, detail="wrong_code", request_id=request_id)
        raise EnrolmentError("wrong_code")
    # Guard against two tabs redeeming at once: only the request that flips used_at wins.
    claimed = db.session.execute(update(EnrolmentToken).where(
        EnrolmentToken.id == row.id, EnrolmentToken.used_at.is_(None)).values(used_at=clock.now()))
    if claimed.rowcount != 1:
        raise EnrolmentError("invalid_token")
    staff.password_hash = hash_secret(password)
    staff.totp_secret = totp_secret
    staff.totp_last_step = step  # the confirming code cannot be replayed at sign-in
    security_log.event("staff_enrolled", "ok", actor_type="staff", actor_id=staff.id, subject=staff.id,
                       request_id=request_id)
    return staff


def has_credentials(staff: Staff) -> bool:
    return bool(staff.password_hash and staff.totp_secret)


def _confirmed_step(secret: str, code: str) -> int | None:
    try:
        if not valid_secret(secret):
            return None
        return totp.matching_step(secret, code, 0)
    except Exception:  # a secret that is not base32 was tampered with in the form
        return None


def _aware(moment):
    now = clock.now()
    if moment.tzinfo is None and now.tzinfo is not None:
        return moment.replace(tzinfo=now.tzinfo)
    return moment
