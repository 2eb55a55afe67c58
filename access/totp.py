"""TOTP second factor (RFC 6238), standing in for SITHS. A time step is accepted once only."""
from __future__ import annotations

import hmac

import pyotp

from engine import clock

STEP_SECONDS = 30
DRIFT_STEPS = 1


def current_code(secret: str) -> str:
    return pyotp.TOTP(secret).at(int(clock.wall().timestamp()))


def matching_step(secret: str, code: str, last_used_step: int) -> int | None:
    """The time step ``code`` belongs to (±1 step of drift), if it is newer than the last used."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(clock.wall().timestamp()) // STEP_SECONDS
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step if step > last_used_step else None
    return None
