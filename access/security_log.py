"""The security event log (ASVS V7): never passwords, codes, tokens or personnummer."""
from __future__ import annotations

import logging

from engine import clock
from engine.db import db
from access.records import SecurityEvent

log = logging.getLogger("vardflode.security")


def event(kind: str, outcome: str, *, actor_type: str | None = None, actor_id: str | None = None,
          subject: str | None = None, detail: str | None = None, request_id: str | None = None) -> None:
    db.session.add(SecurityEvent(ts=clock.now(), kind=kind, outcome=outcome, actor_type=actor_type,
                                 actor_id=actor_id, subject=subject, detail=detail, request_id=request_id))
    log.info("security event %s %s actor=%s", kind, outcome, actor_id)
