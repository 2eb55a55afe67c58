"""`vardflode bench` part (8) purges ended programs in batches in a worker process while the
clinician's task list is timed. With a few programs here: every ended copy is purged, in the
batches asked for, a second run purges nothing, the live caseload is untouched, and the figures
are there."""
from __future__ import annotations

from sqlalchemy import func, select

import engine
from cli import bench_engine, bench_purge
from engine.db import db
from engine.models import ProcessInstance


def test_the_purge_is_timed_in_batches_beside_the_task_list(ctx):
    version = bench_engine.publish_benchmark_program()
    engine.start(version.content_hash, engine.SYSTEM, unit_id="bench-sample", subject_id="sample")
    db.session.commit()
    config = dict(DATA_DIR=ctx.config.get("DATA_DIR") or "instance", BROKER_URL="stub",
                  SQLALCHEMY_DATABASE_URI=ctx.config["SQLALCHEMY_DATABASE_URI"])
    report = bench_purge.run(config, version, quick=True, count=25, batch_size=10)
    assert report["purged"] == 25 and report["batches"] == 3 and report["second_run_purged"] == 0
    assert report["per_second"] > 0 and report["task_list_ms"] > 0 and report["ratio"] > 0
    db.session.expire_all()
    purged = db.session.scalar(select(func.count()).select_from(ProcessInstance)
                               .where(ProcessInstance.purged_at.is_not(None)))
    live = db.session.scalar(select(func.count()).select_from(ProcessInstance)
                             .where(ProcessInstance.status == "running", ProcessInstance.purged_at.is_(None)))
    assert purged == 25 and live == bench_purge.CASELOAD + 1
