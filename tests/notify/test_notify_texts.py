"""Notification texts are fixed: no name, no program, no free text, whoever the recipient is."""
from __future__ import annotations

import inspect

import pytest
from sqlalchemy import select

from access import directory
from engine.db import db
from notify import outbox, texts
from notify.models import OutboxMessage


def test_swedish_is_the_default_and_english_is_there():
    assert texts.compose("new_message").body == "Du har ett nytt meddelande i Vårdflöde. Logga in för att läsa det."
    assert texts.compose("new_message", "en").body == "You have a new message in Vårdflöde. Sign in to read it."
    assert texts.compose("new_message", "de").locale == "sv"
    assert texts.compose("new_message", "en-GB").locale == "en"
    assert texts.compose("new_message", None).locale == "sv"


@pytest.mark.parametrize("kind", sorted(texts.KINDS))
@pytest.mark.parametrize("locale", sorted(texts.LOCALES))
def test_every_text_is_complete_and_has_no_placeholders(kind, locale):
    text = texts.compose(kind, locale)
    for part in (text.subject, text.email_body, text.sms_body):
        assert part.strip() and "Vårdflöde" in text.body
        assert not any(mark in part for mark in "{}%$<>")  # nothing a caller could fill in
    assert len(text.sms_body) <= 160  # one SMS segment (GSM-7 covers å, ä, ö)


def test_compose_takes_a_kind_and_a_locale_and_nothing_else():
    params = list(inspect.signature(texts.compose).parameters.values())
    assert [p.name for p in params] == ["kind", "locale"]
    assert all(p.kind is inspect.Parameter.POSITIONAL_ONLY for p in params)
    with pytest.raises(TypeError):
        texts.compose("new_message", "sv", "Hej Anna, din PHQ-9 är 21")
    with pytest.raises(TypeError):
        texts.compose("new_message", "sv", name="Anna")
    with pytest.raises(ValueError) as raised:
        texts.compose("Hej Anna, din PHQ-9 är 21", "sv")
    assert "Anna" not in str(raised.value)  # free text passed as a kind is not echoed into logs


def test_enqueue_refuses_free_text_as_the_dedupe_key(ctx):
    with pytest.raises(ValueError):
        outbox.enqueue("email", "anna@example.se", "new_message", "Anna Svensson, depression")
    with pytest.raises(ValueError):
        outbox.enqueue("email", "anna@example.se", "Du har fått svar om din depression", "m:1")
    assert db.session.scalars(select(OutboxMessage)).all() == []


@pytest.mark.parametrize("protected", [False, True])
def test_the_message_never_names_the_resident(ctx, protected):
    resident = directory.create_resident("19121212-1212", "Tolvan", "Tolvansson", protected_identity=protected,
                                         email="tolvan@example.se", phone="070-123 45 67")
    for kind in sorted(texts.KINDS):
        outbox.enqueue("resident", resident, kind, f"{kind}:{resident.id}", "sv")
    db.session.commit()
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert len(rows) == 2 * len(texts.KINDS)
    for row in rows:
        written = f"{row.subject} {row.body}"
        for secret in ("Tolvan", "Tolvansson", resident.personnummer, "121212"):
            assert secret not in written
        expected = texts.compose(row.kind, "sv")
        assert row.body == (expected.email_body if row.channel == "email" else expected.sms_body)
