"""Signed status callbacks: HMAC-SHA256 over ``<timestamp>.<body>`` with the shared callback
secret, in the headers ``X-Vardflode-Timestamp`` and ``X-Vardflode-Signature`` (hex). A signature
is checked in constant time and only within five minutes of its timestamp, so a captured callback
cannot be replayed later."""
from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-Vardflode-Timestamp"
SIGNATURE_HEADER = "X-Vardflode-Signature"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), str(int(timestamp)).encode("ascii") + b"." + body,
                    hashlib.sha256).hexdigest()


def headers(secret: str, timestamp: int, body: bytes) -> dict:
    return {TIMESTAMP_HEADER: str(int(timestamp)), SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(secret: str | None, timestamp: str | None, signature: str | None, body: bytes, now: float) -> bool:
    """True only for a signature made with ``secret`` over this body, at most five minutes old."""
    if not secret or not timestamp or not signature or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    if abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature.strip().lower())
