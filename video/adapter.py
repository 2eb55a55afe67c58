"""The adapter contract every video vendor integration fulfils, and the reference adapter over HTTP.

The contract (``VideoAdapter``) has three calls and one inbound message:

* ``create_meeting(ref, starts_at, ends_at)`` books a meeting and returns the vendor's id for it.
  ``ref`` is the platform's opaque meeting id; creating the same ``ref`` again must return the
  same meeting (so a retry after a lost answer books nothing twice).
* ``join_link(vendor_id, role, participant)`` returns a personal join address for ``role``
  (``resident`` or ``clinician``); ``participant`` is an opaque per-meeting pseudonym.
* ``cancel(vendor_id)`` cancels it; cancelling a cancelled meeting is not an error.
* status callbacks: the vendor POSTs JSON ``{"meeting": id, "ref": ref, "event": "started" |
  "ended" | "joined", "at": ISO time}`` to the platform's ``/video/status``, signed as in
  ``signing.py``; ``parse_callback`` checks the signature and returns a ``StatusEvent``.

Nothing but ids and times crosses: no names, no personal identity numbers, no health data.
A vendor that does not answer, answers 5xx or 429 raises ``VendorUnavailable`` (try again
later); one that refuses the request (other 4xx) raises ``VendorRefused``.

The reference adapter (``HttpAdapter``) speaks that contract as JSON over HTTP, and signs its own
requests with the same secret and scheme as the callbacks, so the vendor knows them for ours.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Protocol
from urllib.parse import quote

from video import signing

ROLES = ("resident", "clinician")
EVENTS = ("started", "ended", "joined")
TIMEOUT_SECONDS = 5.0


class VendorError(Exception):
    """The vendor could not do what was asked."""


class VendorUnavailable(VendorError):
    """No answer, a timeout, 5xx or 429: the same request may work later."""


class VendorRefused(VendorError):
    """The vendor refused the request (4xx): sending it again will not help."""


class BadCallback(ValueError):
    """A status callback that is not signed with our secret, too old, or not the contract's JSON."""


@dataclass(frozen=True)
class StatusEvent:
    vendor_meeting_id: str
    ref: str
    event: str
    at: datetime


class VideoAdapter(Protocol):
    def create_meeting(self, ref: str, starts_at: datetime, ends_at: datetime) -> str: ...

    def join_link(self, vendor_meeting_id: str, role: str, participant: str) -> str: ...

    def cancel(self, vendor_meeting_id: str) -> None: ...


def participant_ref(secret: str, meeting_id: str, person_id: str) -> str:
    """A pseudonym for one person in one meeting: the vendor can tell the two apart, nothing more."""
    return hmac.new((secret or "-").encode("utf-8"), f"{meeting_id}:{person_id}".encode("utf-8"),
                    hashlib.sha256).hexdigest()[:32]


def iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class HttpAdapter:
    """The reference adapter: the contract as JSON over HTTP(S), requests signed with the secret."""

    def __init__(self, base_url: str, secret: str, timeout: float = TIMEOUT_SECONDS):
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.timeout = timeout

    def create_meeting(self, ref: str, starts_at: datetime, ends_at: datetime) -> str:
        answer = self._call("POST", "/meetings", {"ref": ref, "starts_at": iso(starts_at), "ends_at": iso(ends_at)})
        vendor_id = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(vendor_id, str) or not 0 < len(vendor_id) <= 128:
            raise VendorRefused("the vendor's answer has no meeting id")
        return vendor_id

    def join_link(self, vendor_meeting_id: str, role: str, participant: str) -> str:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        answer = self._call("POST", f"/meetings/{quote(vendor_meeting_id, safe='')}/links",
                            {"role": role, "participant": participant})
        url = answer.get("url") if isinstance(answer, dict) else None
        if not isinstance(url, str) or not url.startswith(("https://", "http://")) or len(url) > 2000:
            raise VendorRefused("the vendor's answer has no join address")
        return url

    def cancel(self, vendor_meeting_id: str) -> None:
        self._call("DELETE", f"/meetings/{quote(vendor_meeting_id, safe='')}", None)

    def _call(self, method: str, path: str, payload: dict | None):
        body = b"" if payload is None else json.dumps(payload, separators=(",", ":")).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=body if payload is not None else None,
                                         method=method)
        request.add_header("Content-Type", "application/json")
        for name, value in signing.headers(self.secret, int(time.time()), body).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                text = response.read(65536)
        except urllib.error.HTTPError as err:
            if err.code >= 500 or err.code == 429:
                raise VendorUnavailable(f"the vendor answered {err.code}") from None
            raise VendorRefused(f"the vendor refused the request ({err.code})") from None
        except (urllib.error.URLError, OSError, TimeoutError) as err:
            raise VendorUnavailable(f"the vendor did not answer ({type(err).__name__})") from None
        if not text:
            return {}
        try:
            return json.loads(text)
        except ValueError:
            raise VendorRefused("the vendor's answer is not JSON") from None


def parse_callback(secret: str | None, headers, body: bytes, now: float | None = None) -> StatusEvent:
    """The callback's event, or BadCallback: the signature is checked before the body is read."""
    now = time.time() if now is None else now
    if not signing.verify(secret, headers.get(signing.TIMESTAMP_HEADER), headers.get(signing.SIGNATURE_HEADER),
                          body, now):
        raise BadCallback("the signature is missing, wrong or too old")
    try:
        data = json.loads(body)
        event = StatusEvent(str(data["meeting"])[:128], str(data["ref"])[:64], data["event"],
                            datetime.fromisoformat(str(data["at"]).replace("Z", "+00:00")))
    except (ValueError, KeyError, TypeError):
        raise BadCallback("the body is not the contract's JSON") from None
    if event.event not in EVENTS:
        raise BadCallback(f"unknown event {event.event!r}")
    if event.at.tzinfo is None:
        event = StatusEvent(event.vendor_meeting_id, event.ref, event.event, event.at.replace(tzinfo=timezone.utc))
    return event
