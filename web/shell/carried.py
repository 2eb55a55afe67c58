"""What a carrying link from the shell (navigation.carrying_link) brought to a form: the page's path,
the product, the platform's version and the time. The incident report and the support case read it
the same way; each form checks it again when it is sent."""
from __future__ import annotations

from datetime import datetime, timezone

from engine import clock
from incidents.models import PRODUCTS


def carried(args) -> dict:
    """The carried values, each kept only when it fits."""
    product = args.get("produkt", "")
    return {"page_url": args.get("sida", "")[:2000], "platform_version": args.get("version", "")[:64],
            "product": product if product in PRODUCTS else "", "observed_at": args.get("tid", "")[:16]}


def observed_at(text: str) -> datetime | None:
    """A ``datetime-local`` value, in Swedish time, as UTC; None when it is not one."""
    try:
        local = datetime.fromisoformat(text)
    except ValueError:
        return None
    if local.tzinfo is None:
        local = local.replace(tzinfo=clock.SWEDEN)
    return local.astimezone(timezone.utc)
