"""Instance summaries: the plain rows task lists, program pages and statistics read instead of
the engine's tables."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import engine
from engine.db import db
from tests.conftest import FIXTURES, actor

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def _start(version, unit="u1", subject="r1", **kwargs) -> str:
    return engine.start(version, engine.SYSTEM, unit_id=unit, subject_id=subject, **kwargs).instance_id


def test_a_summary_says_whose_where_which_program_and_how_far(ctx, publish):
    engine.clock.freeze(T0)
    version = publish(FIXTURES / "simple")
    running = _start(version, owner_id="c1")
    ended = _start(version, subject="r2")
    db.session.commit()
    engine.clock.advance(timedelta(days=3))
    engine.end(ended, actor("c1", "behandlare"), "other")
    db.session.commit()

    found = engine.instance_summaries([running, ended, "no-such-instance"])
    assert set(found) == {running, ended}
    first = found[running]
    assert (first.subject_id, first.unit_id, first.owner_id, first.status) == ("r1", "u1", "c1", "running")
    assert first.program_name == "simple" and first.version_hash == version
    assert first.created_at == T0 and first.ended_at is None
    assert (found[ended].status, found[ended].ended_at) == ("ended", T0 + timedelta(days=3))
    assert engine.instance_summary("no-such-instance") is None
    assert engine.instance_summaries([]) == {}


def test_instances_on_units_leave_out_other_units_and_test_runs_unless_asked(ctx, publish):
    engine.clock.freeze(T0)
    version = publish(FIXTURES / "simple")
    here = _start(version)
    engine.clock.advance(timedelta(hours=1))
    later = _start(version, subject="r2")
    _start(version, unit="u2", subject="r3")
    trial = _start(version, subject=None, is_test=True)
    db.session.commit()

    assert [s.id for s in engine.instances_on_units(["u1"])] == [here, later]
    assert {s.id for s in engine.instances_on_units(["u1"], include_test=True)} == {here, later, trial}
    assert engine.instances_on_units([]) == []
