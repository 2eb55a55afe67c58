"""Organisation rules, personnummer, and the PDL log's hash chain and append-only guard."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from access import directory, pdl, personnummer
from access.pdl_guard import DROP, create_statements
from access.records import PdlEntry
from engine.db import db
from cli import demo_people


def test_a_unit_may_not_share_its_care_providers_hsa_id(ctx):
    provider = directory.create_care_provider("SE2321000016-0009", "Region Test")
    with pytest.raises(directory.DirectoryError, match="same HSA-id as its care provider"):
        directory.create_unit(provider, "se2321000016-0009", "Mottagning")


def test_hsa_ids_are_required_and_unique(ctx):
    directory.create_staff("SE2321000016-X001", "A", "B")
    with pytest.raises(directory.DirectoryError, match="already in use"):
        directory.create_staff("SE2321000016-X001", "C", "D")
    with pytest.raises(directory.DirectoryError, match="HSA-id is required"):
        directory.create_staff("", "C", "D")


def test_a_training_publisher_unit_can_never_publish(ctx):
    training = directory.create_publisher_unit("SE2321000016-P099", "Övningsredaktion", training=True)
    staff = directory.create_staff("SE2321000016-X002", "A", "B")
    with pytest.raises(directory.DirectoryError, match="training publisher unit can never publish"):
        directory.grant_role(staff, "utgivare", "publisher_unit", training.id, granted_by="test")
    directory.grant_role(staff, "designer", "publisher_unit", training.id, granted_by="test")


def test_roles_only_in_their_scope(ctx):
    staff = directory.create_staff("SE2321000016-X003", "A", "B")
    with pytest.raises(directory.DirectoryError):
        directory.grant_role(staff, "behandlare", "care_provider", "x", granted_by="test")


@pytest.mark.parametrize("text_in, expected", [
    ("19121212-1212", "191212121212"), ("121212-1212", "201212121212"), ("121212+1212", "191212121212"),
    ("198503142383", None),
])
def test_personnummer_forms(text_in, expected):
    if expected is None:
        with pytest.raises(personnummer.InvalidPersonnummer):
            personnummer.normalize(text_in, date(2026, 11, 25))
    else:
        assert personnummer.normalize(text_in, date(2026, 11, 25)) == expected


def test_samordningsnummer_and_impossible_dates():
    coordination = demo_people.personnummer_for(date(1990, 5, 1), "123")
    coordination = coordination[:6] + "61" + coordination[8:]
    body = coordination[2:11]
    total = sum((v - 9 if v > 9 else v) for v in (int(c) * (2 if i % 2 == 0 else 1) for i, c in enumerate(body)))
    coordination = coordination[:11] + str((10 - total % 10) % 10)
    assert personnummer.is_samordningsnummer(personnummer.normalize(coordination))
    assert personnummer.birth_date(coordination) == date(1990, 5, 1)
    with pytest.raises(personnummer.InvalidPersonnummer):
        personnummer.normalize("19900230-1234")


def write_entries(count=3):
    ctx = pdl.AccessContext("staff", "s1", "Bodil", "behandlare", "p1", "u1", "a1", "vard_och_behandling", "r1")
    for n in range(count):
        pdl.record(ctx, action="read", resource_type="resident", resource_id=f"res{n}", resident_id=f"res{n}",
                   access_basis="care_relation")
    db.session.commit()


def test_the_chain_verifies_and_the_database_refuses_edits(ctx):
    write_entries()
    assert pdl.verify().ok and pdl.verify().entries == 3
    for statement in ("UPDATE pdl_entry SET outcome = 'denied'", "DELETE FROM pdl_entry"):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()


def test_the_chain_check_detects_an_edited_row(ctx):
    write_entries()
    dialect = db.engine.dialect.name
    try:
        for statement in DROP[dialect]:
            db.session.execute(text(statement))
        db.session.execute(text("UPDATE pdl_entry SET resident_id = 'someone-else' WHERE seq = 2"))
        db.session.commit()
        report = pdl.verify()
    finally:
        db.session.rollback()
        for statement in DROP[dialect] + create_statements(dialect):
            db.session.execute(text(statement))
        db.session.commit()
    assert not report.ok and report.first_bad_seq == 2 and "changed" in report.reason


def test_the_chain_check_detects_a_removed_row(ctx):
    write_entries(4)
    db.session.execute(text("INSERT INTO pdl_purge_switch (id, allow) VALUES (1, 1)"))
    db.session.execute(text("DELETE FROM pdl_entry WHERE seq = 3"))
    db.session.execute(text("DELETE FROM pdl_purge_switch"))
    db.session.commit()
    report = pdl.verify()
    assert not report.ok and report.first_bad_seq == 3
    assert db.session.query(PdlEntry).count() == 3
