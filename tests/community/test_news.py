"""The platform's news (R74): only national management writes; every member of staff reads; an
item is new to each person until they open it, and the count of new items falls as they do."""
from __future__ import annotations

from datetime import timedelta

import pytest

from community import news
from community.errors import CommunityError, CommunityForbidden
from engine import clock
from engine.db import db
from tests.community.support import people


def test_only_national_management_writes_and_release_notes_name_their_version(ctx):
    world = people()
    for writer in (world.designer, world.clinician, world.nord_admin):
        with pytest.raises(CommunityForbidden):
            news.publish(writer, "announcement", "Hej", "Text")
    with pytest.raises(CommunityError) as missing:
        news.publish(world.national, "release_notes", "Version utan nummer", "Text")
    assert missing.value.code == "version_label"
    with pytest.raises(CommunityError) as empty:
        news.publish(world.national, "announcement", "  ", "Text")
    assert empty.value.code == "title"
    item = news.publish(world.national, "release_notes", "Nytt i 2.4", "- Snabbare lista", version_label="2.4")
    assert item.version_label == "2.4" and item.author_id == world.national.id


def test_an_item_is_new_to_each_reader_until_they_open_it(ctx):
    world = people()
    first = news.publish(world.national, "announcement", "Planerat underhåll", "Söndag 06–08.")
    clock.advance(timedelta(minutes=1))
    second = news.publish(world.national, "release_notes", "Nytt i 2.5", "**Sök** i nätverket.", version_label="2.5")
    db.session.commit()
    assert news.unread_count(world.clinician) == 2 and news.unread_count(world.designer) == 2
    assert news.unread_count(world.national) == 0  # the author has seen what they wrote
    listed = news.listing(world.clinician)
    assert [(x.item.id, x.new) for x in listed] == [(second.id, True), (first.id, True)]  # newest first

    news.open_item(world.clinician, first.id)
    news.open_item(world.clinician, first.id)  # opening again changes nothing
    db.session.commit()
    assert news.unread_count(world.clinician) == 1
    assert [(x.item.id, x.new) for x in news.listing(world.clinician)] == [(second.id, True), (first.id, False)]
    assert news.unread_count(world.designer) == 2  # per person


def test_nobody_but_staff_reads_news(ctx):
    world = people()
    news.publish(world.national, "announcement", "Hej", "Text")
    assert news.unread_count(None) == 0
    with pytest.raises(CommunityForbidden):
        news.listing(None)
