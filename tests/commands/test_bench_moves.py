"""`vardflode bench` part (7) moves running instances onto a new version one by one. With a few
instances here: each is really moved (on the new version, its open task and timer kept), none is
refused, and the figures are there."""
from __future__ import annotations

from sqlalchemy import select

import engine
from cli import bench_engine, bench_moves
from engine.db import db
from engine.models import HumanTask, Timer


def test_the_move_of_running_instances_is_timed_and_really_moves_them(ctx):
    version = bench_engine.publish_benchmark_program()
    report = bench_moves.run(version, completion_ms=2.0, quick=True, count=4)
    assert report["instances"] == 4 and report["refused"] == 0 and report["refusals"] == {}
    assert report["median_ms"] > 0 and report["ratio"] == report["median_ms"] / 2.0
    ids = report["moved_ids"]
    assert {engine.instance(i).version_hash for i in ids} == {report["target"]}
    assert db.session.scalar(select(db.func.count()).select_from(Timer).where(Timer.instance_id.in_(ids))) == 4
    names = set(db.session.scalars(select(HumanTask.name).where(HumanTask.instance_id.in_(ids))))
    assert names == {"Veckans skattning (ny version)"}
    assert all([e.kind for e in engine.history(i)].count("moved") == 1 for i in ids)
