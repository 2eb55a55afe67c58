"""The demo publishes every shipped program to the catalogue and activates the programs for
residents on the Nord unit, so the demo's clinic, catalogue and open programs have content."""
from __future__ import annotations

import catalogue
from catalogue.models import CatalogueEntry
from engine import clock
from engine.db import db
from cli import demo, packages


def test_the_demo_seed_publishes_and_activates_the_shipped_programs(ctx):
    clock.reset()
    demo.seed()
    entries = {e.program_key: e for e in db.session.scalars(db.select(CatalogueEntry))}
    assert set(entries) == {p.name for p in packages.shipped_packages()}
    assert (entries["depression_icbt"].version_label, entries["selfhelp_sleep"].version_label) == ("2.0", "1.1")
    assert entries["selfhelp_sleep"].open_program and entries["selfhelp_sleep"].journal_items == []
    offered = catalogue.open_offers()
    assert [(o.program_key, o.unit_name) for o in offered] == [("selfhelp_sleep", "Psykiatrimottagning Nord")]
    nord = {e.program_key for e in entries.values()
            if catalogue.version_for_new_start(e.program_key, _unit_id("SE2321000016-1001"))}
    assert nord == {"depression_icbt", "selfhelp_sleep"}  # not the platform's publishing process


def _unit_id(hsa_id: str) -> str:
    from access.models import Unit
    return db.session.scalar(db.select(Unit.id).where(Unit.hsa_id == hsa_id))
