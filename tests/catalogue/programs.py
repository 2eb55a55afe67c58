"""Program versions for catalogue tests: the simple fixture with a program.json of our choosing,
so each label is its own version (the content hash covers program.json)."""
from __future__ import annotations

import json

import engine
from engine.db import db
from tests.conftest import FIXTURES

BASE = {"id": "weekly_check", "name": "Veckokoll", "kind": "treatment", "languages": ["sv", "en"],
        "journal_items": ["answer"]}


def stored(drop=(), **meta) -> str:
    """Store the simple program with ``meta`` over BASE (less the keys in ``drop``) as its
    program.json; returns the version hash."""
    files = engine.read_paths([FIXTURES / "simple"])
    data = {k: v for k, v in {**BASE, **meta}.items() if k not in drop}
    files["program.json"] = json.dumps(data).encode()
    version = engine.store_version(engine.check_package(files))
    db.session.commit()
    return version.content_hash
