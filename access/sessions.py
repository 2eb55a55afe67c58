"""Server-side sessions: a random token in the cookie, its hash in the database. A new token at
every sign-in step, 30 minutes idle (15 for children), 12 hours at most, revocable at once."""
from __future__ import annotations

import secrets
from datetime import timedelta

from engine import clock
from engine.db import db
from access.models import ServerSession
from access.secrets_hashing import token_digest

IDLE = {"staff": timedelta(minutes=30), "resident": timedelta(minutes=30), "child": timedelta(minutes=15)}
ABSOLUTE = timedelta(hours=12)
PENDING_LIFETIME = timedelta(minutes=5)
TOUCH_EVERY = timedelta(seconds=60)  # writing last_seen on every request would serialize readers


def start(actor_type: str, actor_id: str, auth_method: str, *, assignment_id: str | None = None,
          pending_step: str | None = None, replacing: str | None = None,
          scope_instance_id: str | None = None) -> str:
    """Create a session and return its token; the one it replaces (if any) ends now.
    ``scope_instance_id``: the one program a child's session opens (R43)."""
    if replacing:
        end(replacing)
    token = secrets.token_urlsafe(32)
    now = clock.wall()
    db.session.add(ServerSession(token_hash=token_digest(token), actor_type=actor_type, actor_id=actor_id,
                                 assignment_id=assignment_id, auth_method=auth_method, pending_step=pending_step,
                                 scope_instance_id=scope_instance_id, created_at=now, last_seen_at=now))
    return token


def find(token: str | None, *, pending_ok: bool = False) -> ServerSession | None:
    """The live session for a token, or None if it is unknown, revoked, idle or too old."""
    if not token or len(token) > 100:
        return None
    session = db.session.get(ServerSession, token_digest(token))
    if session is None or session.revoked_at is not None:
        return None
    if bool(session.pending_step) and not pending_ok:
        return None
    now = clock.wall()
    lifetime = PENDING_LIFETIME if session.pending_step else ABSOLUTE
    idle = IDLE.get(session.actor_type, IDLE["staff"])
    if now - session.created_at > lifetime or now - session.last_seen_at > idle:
        session.revoked_at = now
        return None
    if now - session.last_seen_at > TOUCH_EVERY:
        session.last_seen_at = now
    return session


def end(token: str | None) -> None:
    session = db.session.get(ServerSession, token_digest(token)) if token else None
    if session is not None and session.revoked_at is None:
        session.revoked_at = clock.wall()

