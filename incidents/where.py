"""Where and when something was seen, as the shell's carrying link fills it in (R84): the product,
the page's address, the platform's version and the time. An incident report and a support case
check it the same way, here."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from engine import clock
from incidents.errors import IncidentError
from incidents.models import PRODUCTS

MAX_URL = 2000
_URL = re.compile(r"^(?:/|https?://)[^\s<>\"]*$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")


def checked(product: str, page_url: str, platform_version: str, observed_at: datetime | None) -> dict:
    """The four values, cleaned; IncidentError naming the first field that is wrong."""
    if product not in PRODUCTS:
        raise IncidentError("product", "choose Stöd och behandling or Designverktyget")
    url = (page_url or "").strip()
    if not url or len(url) > MAX_URL or not _URL.match(url):
        raise IncidentError("page_url", "the page address must be a path or an http(s) address")
    version = (platform_version or "").strip()
    if not _VERSION.match(version):
        raise IncidentError("platform_version", "the platform version is missing or malformed")
    if not isinstance(observed_at, datetime) or observed_at.tzinfo is None:
        raise IncidentError("observed_at", "give the time it happened")
    if observed_at > clock.now() + timedelta(minutes=5):
        raise IncidentError("observed_at", "the time it happened cannot be in the future")
    return {"product": product, "page_url": url, "platform_version": version, "observed_at": observed_at}
