"""One-time sign-in codes for children (R43): a clinician issues one for a child's program;
it works once, for a short time, and a few wrong tries void it."""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update

from engine import clock
from engine.db import db
from access import security_log
from access.models import ChildCode
from access.secrets_hashing import hash_secret, verify_secret

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols, no 0/O, 1/I/L: 5 bits each
SECRET_LENGTH = 8  # 40 bits
LOCATOR_LENGTH = 3
LIFETIME = timedelta(minutes=30)
MAX_ATTEMPTS = 5


def issue(resident_id: str, issued_by: str, instance_id: str | None = None) -> str:
    """Create a code and return it for showing once (e.g. ``ABC-DEFG-HJKM``)."""
    locator = "".join(secrets.choice(ALPHABET) for _ in range(LOCATOR_LENGTH))
    secret = "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))
    db.session.add(ChildCode(resident_id=resident_id, instance_id=instance_id, locator=locator,
                             secret_hash=hash_secret(secret), issued_by=issued_by,
                             expires_at=clock.now() + LIFETIME))
    security_log.event("child_code_issued", "ok", actor_type="staff", actor_id=issued_by, subject=resident_id)
    return f"{locator}-{secret[:4]}-{secret[4:]}"


def redeem(code: str) -> ChildCode | None:
    """The code's row if the code is right and still usable; it is then used up."""
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(cleaned) != LOCATOR_LENGTH + SECRET_LENGTH:
        return None
    locator, secret = cleaned[:LOCATOR_LENGTH], cleaned[LOCATOR_LENGTH:]
    now = clock.now()
    candidates = db.session.scalars(select(ChildCode).where(
        ChildCode.locator == locator, ChildCode.used_at.is_(None), ChildCode.voided_at.is_(None))).all()
    for row in candidates:
        if row.expires_at < now:
            continue
        if verify_secret(row.secret_hash, secret):
            return row if _use_up(row, now) else None
        row.attempts += 1
        if row.attempts >= MAX_ATTEMPTS:
            row.voided_at = now
            security_log.event("child_code_voided", "denied", subject=row.resident_id, detail="too many attempts")
    return None


def _use_up(row: ChildCode, now) -> bool:
    """Mark the code used if nobody else has: one conditional update, so of many parallel
    redemptions exactly one wins (on PostgreSQL the others wait for its row lock, then find it used)."""
    used = db.session.execute(update(ChildCode).where(
        ChildCode.id == row.id, ChildCode.used_at.is_(None), ChildCode.voided_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        return False
    db.session.refresh(row)
    return True
