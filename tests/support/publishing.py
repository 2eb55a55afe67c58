"""A version into the catalogue for tests that need one published: the approval row a publisher's
decision would have written (catalogue/approvals.py), then ``catalogue.publish``, which refuses
any version without it. The approval rules themselves are tested in tests/catalogue/test_approvals.py."""
from __future__ import annotations

import catalogue
import engine
from catalogue.models import Approval
from engine.db import db


def publish_approved(version_hash: str, publisher_unit_id: str, approver_id: str, *,
                     submitted_by: str = "designer-in-tests", release_notes: str = "Första versionen."):
    meta = engine.version(version_hash).meta or {}
    if db.session.get(Approval, version_hash) is not None:  # approved before: publish again (refused)
        return catalogue.publish(version_hash, publisher_unit_id, approver_id)
    db.session.add(Approval(version_hash=version_hash, publisher_unit_id=publisher_unit_id,
                            program_key=str(meta.get("id") or ""), version_label=str(meta.get("version") or ""),
                            change_kind="major", release_notes=release_notes, submitted_by=submitted_by,
                            approved_by=approver_id, approved_at=engine.clock.now()))
    db.session.flush()
    return catalogue.publish(version_hash, publisher_unit_id, approver_id)
