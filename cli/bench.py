"""``vardflode bench``: the engine's speed and size against bare SpiffWorkflow, on one database.

(1) task completion through the facade ÷ a bare load–complete–save of the same kind of instance;
(2) stored bytes per instance ÷ SpiffWorkflow's default serialization;
(3) a clinician's task-list query at 100,000 instances ÷ at 1,000;
(4) timer lateness p50/p99 with 10,000 pending timers, a real Redis and worker processes.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import tempfile

from sqlalchemy import text

from engine import benchmark
from engine.db import db
from cli import bench_engine, bench_guard, bench_tasklist, bench_timers

GOALS = {"completion_ratio": 1.5, "storage_ratio": 0.35, "task_list_ratio": 1.3, "timer_p99_s": 1.0}


def main(as_json: bool, quick: bool, database_url: str | None, redis_url: str | None = None,
         reuse: bool = False) -> int:
    from web import create_app
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{tmp}/bench.sqlite3"
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        try:
            bench_guard.check_database(url, reuse)
        except bench_guard.NotOurs as refused:
            print(f"vardflode bench: {refused}", file=sys.stderr)
            return 2
        app = create_app(DATA_DIR=tmp, SQLALCHEMY_DATABASE_URI=url, BROKER_URL="stub")
        with app.app_context():
            _fresh_schema()
            report = {"machine": _machine(), "database": db.engine.dialect.name, "quick": quick}
            version = bench_engine.publish_benchmark_program()
            report["completion"] = bench_engine.completion(version, quick)
            report["storage"] = benchmark.storage(version)
            report["task_list"] = bench_tasklist.run(version, quick)
            db.session.remove()
        try:
            report["timers"] = bench_timers.run(app, url, redis_url, quick, reuse)
        except bench_guard.NotOurs as refused:
            print(f"vardflode bench: {refused}", file=sys.stderr)
            return 2
    _print(report, as_json)
    return 0


def _fresh_schema() -> None:
    """The benchmark owns its database: a scratch SQLite file, or the URL you gave it."""
    db.drop_all()
    db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()
    db.create_all()
    with db.engine.begin() as connection:
        bench_guard.mark_database(connection)


def _machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def _print(report: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, indent=2, default=str))
        return
    c, s, t, tm = report["completion"], report["storage"], report["task_list"], report["timers"]
    print(f"Vårdflöde benchmark on {report['database']} ({report['machine']['cpus']} CPUs, "
          f"Python {report['machine']['python']}){' – quick run' if report['quick'] else ''}")
    print(f"(1) task completion: facade {c['facade_median_ms']:.2f} ms, bare SpiffWorkflow "
          f"{c['bare_median_ms']:.2f} ms -> ratio {c['ratio']:.2f} (goal <= {GOALS['completion_ratio']})")
    print(f"(2) stored bytes per instance: {s['ours_bytes']:.0f} B (state {s['state_bytes']:.0f} + index rows "
          f"{s['index_bytes']:.0f}) vs default {s['default_bytes']:.0f} B -> ratio {s['ratio']:.3f} "
          f"(goal <= {GOALS['storage_ratio']}); history adds {s['history_bytes']:.0f} B")
    print(f"(3) task list: {t['small_n']:,} instances {t['small_ms']:.3f} ms, {t['large_n']:,} instances "
          f"{t['large_ms']:.3f} ms -> ratio {t['ratio']:.2f} (goal <= {GOALS['task_list_ratio']})")
    if tm.get("skipped"):
        print(f"(4) timers: skipped – {tm['skipped']}")
    else:
        print(f"(4) timers: {tm['fired']}/{tm['measured']} fired with {tm['pending']:,} pending; lateness "
              f"p50 {tm['p50_s']:.3f} s, p99 {tm['p99_s']:.3f} s, max {tm['max_s']:.3f} s "
              f"(goal p99 <= {GOALS['timer_p99_s']} s)")
