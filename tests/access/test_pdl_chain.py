"""The PDL log against someone who can write the database but holds neither the PDL key nor the
anchor folder: an edited entry with every later hash recomputed, and the newest entries removed
with the chain head moved back, both pass a plain hash chain; the keyed chain and the signed
checkpoints catch them. The old unkeyed entries of an existing database still verify."""
from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from sqlalchemy import insert, select, text

from access import pdl, pdl_anchor
from access.pdl_guard import DROP, create_statements
from access.records import PdlChainHead, PdlEntry
from engine import clock
from engine.db import db

KEY = b"k" * 32


@pytest.fixture()
def log(ctx, tmp_path):
    """The PDL log bound to a known key and a fresh anchor folder; the app's binding afterwards."""
    before = pdl._binding
    pdl.configure(KEY, tmp_path / "anchor")
    yield pdl
    pdl._binding = before


def write_entries(count: int) -> None:
    who = pdl.AccessContext("staff", "s1", "Bodil", "behandlare", "p1", "u1", "a1", "vard_och_behandling", "r1")
    for n in range(count):
        pdl.record(who, action="read", resource_type="resident", resource_id=f"res{n}", resident_id=f"res{n}",
                   access_basis="care_relation")
    db.session.commit()


@contextmanager
def without_the_append_only_triggers():
    """What the database's own user can do: drop the triggers, change rows, put them back."""
    dialect = db.engine.dialect.name
    for statement in DROP[dialect]:
        db.session.execute(text(statement))
    try:
        yield
        db.session.commit()
    finally:
        db.session.rollback()
        for statement in DROP[dialect] + create_statements(dialect):
            db.session.execute(text(statement))
        db.session.commit()


def rechain_with_plain_sha256(scheme: str | None = None, from_seq: int = 1) -> None:
    """Recompute the links from ``from_seq`` on and the head the way the old unkeyed chain made
    them; ``scheme`` relabels those entries too (e.g. as old unkeyed ones)."""
    before = db.session.scalars(select(PdlEntry.hash).where(PdlEntry.seq == from_seq - 1)).one_or_none()
    prev = before or pdl.GENESIS
    for row in db.session.scalars(select(PdlEntry).where(PdlEntry.seq >= from_seq).order_by(PdlEntry.seq)).all():
        digest = pdl.link_hash(prev, {k: getattr(row, k) for k in pdl.CHAINED_FIELDS})
        db.session.execute(text("UPDATE pdl_entry SET prev_hash = :prev, hash = :hash, scheme = :scheme "
                                "WHERE seq = :seq"),
                           {"prev": prev, "hash": digest, "scheme": scheme or row.scheme, "seq": row.seq})
        prev = digest
    db.session.execute(text("UPDATE pdl_chain_head SET last_hash = :hash WHERE id = 1"), {"hash": prev})
    db.session.expire_all()


def remove_the_newest(keep: int) -> None:
    """Flip the purge switch, delete the entries after ``keep`` and move the head back to it."""
    kept = db.session.scalars(select(PdlEntry).where(PdlEntry.seq == keep)).one()
    db.session.execute(text("INSERT INTO pdl_purge_switch (id, allow) VALUES (1, 1)"))
    db.session.execute(text("DELETE FROM pdl_entry WHERE seq > :keep"), {"keep": keep})
    db.session.execute(text("DELETE FROM pdl_purge_switch"))
    db.session.execute(text("UPDATE pdl_chain_head SET seq = :seq, last_hash = :hash WHERE id = 1"),
                       {"seq": keep, "hash": kept.hash})
    db.session.commit()
    db.session.expire_all()


def test_a_keyed_chain_with_checkpoints_verifies(log):
    write_entries(3)
    first = pdl.checkpoint()
    write_entries(2)
    second = pdl.checkpoint()
    assert (first.seq, second.seq, first.keyed_from, second.keyed_from) == (3, 5, 1, 1)
    report = pdl.verify()
    assert (report.ok, report.entries, report.checkpoints) == (True, 5, 2)
    assert set(db.session.scalars(select(PdlEntry.scheme))) == {pdl.KEYED}


def test_an_edited_entry_with_every_hash_recomputed_is_detected(log):
    write_entries(4)
    with without_the_append_only_triggers():
        db.session.execute(text("UPDATE pdl_entry SET resident_id = 'someone-else' WHERE seq = 2"))
        rechain_with_plain_sha256()
    report = pdl.verify()  # no checkpoint needed: the links are keyed
    assert not report.ok and report.first_bad_seq == 1 and "changed" in report.reason


def test_keyed_entries_passed_off_as_old_unkeyed_ones_are_detected(log):
    write_entries(2)
    pdl.checkpoint()  # records that the log is keyed from entry 1 on
    write_entries(2)
    with without_the_append_only_triggers():
        db.session.execute(text("UPDATE pdl_entry SET resident_id = 'someone-else' WHERE seq = 4"))
        rechain_with_plain_sha256(scheme=pdl.LEGACY)
    report = pdl.verify()
    assert not report.ok and report.first_bad_seq == 1 and "unkeyed" in report.reason


def test_newest_entries_passed_off_as_unkeyed_after_a_keyed_one_are_detected_without_a_checkpoint(log):
    write_entries(3)
    with without_the_append_only_triggers():
        db.session.execute(text("UPDATE pdl_entry SET resident_id = 'someone-else' WHERE seq = 3"))
        rechain_with_plain_sha256(scheme=pdl.LEGACY, from_seq=2)  # entry 1 and its key left alone
    report = pdl.verify()
    assert not report.ok and report.first_bad_seq == 2 and "unkeyed" in report.reason


def test_removed_newest_entries_and_a_moved_head_are_detected_by_the_checkpoint(log):
    write_entries(5)
    pdl.checkpoint()
    remove_the_newest(keep=3)
    report = pdl.verify()
    assert not report.ok and report.first_bad_seq == 4
    assert "entries after 3 are missing" in report.reason and "up to entry 5" in report.reason
    # Without the anchor the shortened log is a valid chain: that is why the checkpoint exists.
    pdl.anchor_file().unlink()
    assert pdl.verify().ok


def test_entries_written_after_the_last_checkpoint_are_not_covered(log):
    # The documented limit: what is removed after the newest checkpoint goes unseen.
    write_entries(3)
    pdl.checkpoint()
    write_entries(2)
    remove_the_newest(keep=3)
    assert pdl.verify().ok


def test_a_forged_checkpoint_fails(log):
    write_entries(3)
    pdl.checkpoint()
    forged = pdl_anchor.Checkpoint(seq=9, hash="f" * 64, at=clock.now().isoformat(), keyed_from=1)
    pdl_anchor.append(b"not the key" * 4, pdl.anchor_file().parent, forged)
    report = pdl.verify()
    assert not report.ok and "checkpoint line 2 is forged" in report.reason


def test_an_edited_checkpoint_fails(log):
    write_entries(3)
    pdl.checkpoint()
    line = json.loads(pdl.anchor_file().read_text())
    pdl.anchor_file().write_text(json.dumps({**line, "seq": 2}) + "\n")  # hide entry 3's removal
    report = pdl.verify()
    assert not report.ok and "checkpoint line 1 is forged" in report.reason


def test_the_wrong_key_fails(log):
    write_entries(2)
    pdl.configure(b"another key entirely, 32 bytes!!", pdl.anchor_file().parent)
    report = pdl.verify()
    assert not report.ok and report.first_bad_seq == 1 and "changed" in report.reason


def test_entries_from_before_the_key_still_verify_and_the_first_keyed_one_seals_them(log):
    # An existing database: entries with plain SHA-256 links (scheme 'sha256', migration 0009).
    prev = pdl.GENESIS
    for seq in (1, 2):
        values = dict(seq=seq, ts=clock.now(), actor_type="staff", actor_id="s1", actor_name="Bodil",
                      role="behandlare", care_provider_id="p1", unit_id="u1", assignment_id="a1",
                      purpose="vard_och_behandling", resident_id="r1", action="read", resource_type="resident",
                      resource_id="r1", outcome="allowed", reason=None, access_basis="care_relation",
                      request_id=None)
        digest = pdl.link_hash(prev, values)
        db.session.execute(insert(PdlEntry.__table__).values(prev_hash=prev, hash=digest, scheme=pdl.LEGACY,
                                                             **values))
        prev = digest
    db.session.add(PdlChainHead(id=1, seq=2, last_hash=prev))
    db.session.commit()
    write_entries(2)
    assert pdl.checkpoint().keyed_from == 3
    assert pdl.verify().ok
    # The old entries can be recomputed without the key, but the first keyed link covers them.
    with without_the_append_only_triggers():
        db.session.execute(text("UPDATE pdl_entry SET resident_id = 'someone-else' WHERE seq = 1"))
        rechain_with_plain_sha256()
    report = pdl.verify()
    assert not report.ok and report.first_bad_seq == 3


def test_the_scheduler_checkpoints_when_due(log):
    write_entries(1)
    last = pdl.checkpoint_when_due(300, None)
    assert pdl.checkpoint_when_due(300, last) == last  # not due yet: nothing written
    assert len(pdl_anchor.read_all(KEY, pdl.anchor_file().parent)) == 1
    pdl.checkpoint_when_due(0, last)
    assert len(pdl_anchor.read_all(KEY, pdl.anchor_file().parent)) == 2


def write_entries_at(when, count: int) -> None:
    clock.freeze(when)
    try:
        write_entries(count)
    finally:
        clock.reset()


def test_retention_removes_the_start_of_the_log_and_the_rest_still_verifies(log):
    from datetime import timedelta
    now = clock.now()
    write_entries_at(now - timedelta(days=6 * 366), 3)  # past five years
    write_entries_at(now - timedelta(days=30), 2)
    pdl.checkpoint()
    gone = pdl.remove_past_retention(now - timedelta(days=5 * 366))
    db.session.commit()
    assert gone == 3 and sorted(db.session.scalars(select(PdlEntry.seq))) == [4, 5]
    report = pdl.verify()
    assert (report.ok, report.entries) == (True, 2), report.reason
    assert pdl.remove_past_retention(now - timedelta(days=5 * 366)) == 0  # the second run: nothing


def test_an_entry_removed_after_the_retention_mark_is_still_found(log):
    from datetime import timedelta
    now = clock.now()
    write_entries_at(now - timedelta(days=6 * 366), 2)
    write_entries_at(now - timedelta(days=30), 3)
    pdl.remove_past_retention(now - timedelta(days=5 * 366))
    db.session.commit()
    db.session.execute(text("INSERT INTO pdl_purge_switch (id, allow) VALUES (1, 1)"))
    db.session.execute(text("DELETE FROM pdl_entry WHERE seq = 3"))  # the oldest kept one
    db.session.execute(text("DELETE FROM pdl_purge_switch"))
    db.session.commit()
    report = pdl.verify()
    assert not report.ok and report.first_bad_seq == 3 and "missing" in report.reason


def test_a_forged_retention_mark_fails(log):
    write_entries(3)
    anchor = pdl.anchor_file()
    anchor.parent.mkdir(parents=True, exist_ok=True)
    with anchor.open("a") as lines:
        lines.write(json.dumps({"seq": 2, "hash": "0" * 64, "at": clock.now().isoformat(), "keyed_from": 1,
                                "kind": "retention", "mac": "0" * 64}) + "\n")
    report = pdl.verify()
    assert not report.ok and "forged" in report.reason
