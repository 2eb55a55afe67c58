"""The platform's news page (R74): release notes per version and announcements, written by national
management in Markdown (rendered by the web's safe Markdown subset), read by all staff. "New since
last time" is per person: an item counts as new until that person has opened it. Functions flush;
the caller commits."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from access import security_log, staff_rights
from community.errors import CommunityError, CommunityForbidden
from community.models import NEWS_KINDS, NewsItem, NewsSeen
from engine import clock
from engine.db import db

MAX_TITLE = 200
MAX_BODY = 20_000
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,31}$")


@dataclass(frozen=True)
class Listed:
    item: NewsItem
    new: bool  # not yet opened by this person


def publish(principal, kind: str, title: str, body: str, version_label: str = "",
            request_id: str | None = None) -> NewsItem:
    if not staff_rights.may_write_news(principal):
        raise CommunityForbidden("only national management writes news")
    if kind not in NEWS_KINDS:
        raise CommunityError("kind", "choose release notes or an announcement")
    title, body, version_label = (title or "").strip(), (body or "").strip(), (version_label or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise CommunityError("title", f"write a title (at most {MAX_TITLE} characters)")
    if not body or len(body) > MAX_BODY:
        raise CommunityError("body", f"write the text (at most {MAX_BODY} characters)")
    if kind == "release_notes" and not _VERSION.match(version_label):
        raise CommunityError("version_label", "release notes name their version, e.g. 2.4 or 2.4.1")
    item = NewsItem(kind=kind, title=title, body=body, version_label=version_label if kind == "release_notes" else None,
                    author_id=principal.id, published_at=clock.now())
    db.session.add(item)
    db.session.flush()
    # The author has seen what they wrote: it is not news to them.
    db.session.add(NewsSeen(staff_id=principal.id, news_id=item.id, seen_at=item.published_at))
    security_log.event("news_published", "ok", actor_type="staff", actor_id=principal.id, subject=item.id,
                       request_id=request_id)
    db.session.flush()
    return item


def listing(principal) -> list[Listed]:
    """Every item, newest first, each marked new or not for this person."""
    _reader(principal)
    seen = set(db.session.scalars(select(NewsSeen.news_id).where(NewsSeen.staff_id == principal.id)))
    items = db.session.scalars(select(NewsItem).order_by(NewsItem.published_at.desc(), NewsItem.id))
    return [Listed(item, item.id not in seen) for item in items]


def open_item(principal, news_id: str) -> NewsItem:
    """The item; opening it is what clears it from this person's new items."""
    _reader(principal)
    item = db.session.get(NewsItem, news_id) if isinstance(news_id, str) else None
    if item is None:
        raise CommunityError("not_found", "no such news item")
    if db.session.get(NewsSeen, (principal.id, item.id)) is None:
        db.session.add(NewsSeen(staff_id=principal.id, news_id=item.id, seen_at=clock.now()))
        db.session.flush()
    return item


def unread_count(principal) -> int:
    """How many items this person has not opened yet (0 for anyone who does not read news)."""
    if not staff_rights.may_read_news(principal):
        return 0
    seen = select(NewsSeen.news_id).where(NewsSeen.staff_id == principal.id)
    return db.session.scalar(select(func.count()).select_from(NewsItem).where(NewsItem.id.not_in(seen))) or 0


def _reader(principal) -> None:
    if not staff_rights.may_read_news(principal):
        raise CommunityForbidden("staff only")
