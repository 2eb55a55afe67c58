"""``vardflode bench``: the engine's speed and size against bare SpiffWorkflow, on one database.

(1) task completion through the facade ÷ a bare load–complete–save of the same kind of instance;
(2) stored bytes per instance ÷ SpiffWorkflow's default serialization;
(3) a clinician's task-list query at 100,000 instances ÷ at 1,000;
(4) timer lateness p50/p99 with 10,000 pending timers, a real Redis and worker processes;
(5) pages over HTTP through the real app: a resident's task completion, the clinician's task list
    at three sizes, the resident's program page;
(6) the design tool's validation round trip: one server-side check of the whole depression program;
(7) moving 1,000 running instances onto a new version, per instance ÷ one task completion;
(8) purging 10,000 ended programs in batches: programs per second, and the clinician's task list
    while the purge runs ÷ without it.
"""
from __future__ import annotations

import json
import os
import platform
import secrets
import sys
import tempfile

from sqlalchemy import text

from engine import benchmark
from engine.db import db
from cli import (bench_engine, bench_guard, bench_moves, bench_pages, bench_purge, bench_tasklist, bench_timers,
                 bench_validate)

GOALS = {"completion_ratio": 1.5, "storage_ratio": 0.35, "task_list_ratio": 1.3, "timer_p99_s": 1.0,
         "page_task_list_ratio": 1.3, "list_per_completion": 3.0, "validation_median_ms": 100,
         "move_per_completion": 3.0, "purge_task_list_ratio": 1.3}


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
        # The keys production insists on, generated for this run: the page measures sign in,
        # sign sessions and chain PDL rows with them. (The development e-ID stays: the residents
        # sign in with it, and production would refuse it.)
        app_config = dict(DATA_DIR=tmp, SQLALCHEMY_DATABASE_URI=url, BROKER_URL="stub",
                          SECRET_KEY=secrets.token_hex(32), PDL_KEY=secrets.token_hex(32))
        app = create_app(**app_config)
        with app.app_context():
            _fresh_schema()
            report = {"machine": _machine(), "database": db.engine.dialect.name, "quick": quick}
            version = bench_engine.publish_benchmark_program()
            report["completion"] = bench_engine.completion(version, quick)
            report["storage"] = benchmark.storage(version)
            report["task_list"] = bench_tasklist.run(version, quick)
            report["pages"] = bench_pages.run(app, quick)
            report["validation"] = bench_validate.run(quick)
            report["moves"] = bench_moves.run(version, report["completion"]["facade_median_ms"], quick)
            report["moves"].pop("moved_ids")
            report["purge"] = bench_purge.run(app_config, version, quick)
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
    _print_pages(report["pages"])
    _print_validation(report["validation"])
    _print_moves(report["moves"])
    _print_purge(report["purge"])


def _print_purge(p: dict) -> None:
    print(f"(8) purging {p['programs']:,} ended programs ({p['purged']:,} purged in {p['batches']} batches of "
          f"{p['batch_size']}, a second run purged {p['second_run_purged']}): {p['per_second']:,.0f} programs/s, "
          f"longest batch {p['longest_batch_ms']:.0f} ms; task list {p['task_list_ms']:.2f} ms, during the purge "
          f"{p['task_list_during_ms']:.2f} ms ({p['task_list_queries_during']} queries) -> ratio {p['ratio']:.2f} "
          f"(goal <= {GOALS['purge_task_list_ratio']})")


def _print_pages(p: dict) -> None:
    lists = ", ".join(f"{row['stored']:,} instances {row['ms']:.1f} ms" for row in p["task_list"])
    print(f"(5) pages over HTTP (caseload {p['caseload']} residents, {p['clinician_tasks']} clinician tasks "
          "on the unit):")
    print(f"    (a) resident's task, GET + POST: {p['completion_ms']:.1f} ms (GET {p['completion_get_ms']:.1f}, "
          f"POST {p['completion_post_ms']:.1f}; {p['completions']} completions)")
    print(f"    (b) clinician's task list: {lists}, {p['task_list'][0]['stored']:,} again "
          f"{p['task_list_first_again_ms']:.1f} ms -> ratios {p['task_list_ratio_mid']:.2f}, "
          f"{p['task_list_ratio_large']:.2f} (goal <= {GOALS['page_task_list_ratio']}); "
          f"{p['pdl_rows_per_task_list']:.0f} PDL rows per view")
    print(f"    (c) resident's program page: {p['program_page_ms']:.1f} ms")
    print(f"    (d) task list at {p['task_list'][-1]['stored']:,} ÷ task completion: {p['list_per_completion']:.2f} "
          f"(goal <= {GOALS['list_per_completion']})")


def _print_validation(v: dict) -> None:
    print(f"(6) validation round trip ({v['program']}, {v['files']} files, {v['package_bytes']:,} B, "
          f"{v['findings']} findings; a changed byte each run): median {v['median_ms']:.1f} ms, "
          f"p95 {v['p95_ms']:.1f} ms over {v['runs']} runs (goal median <= {GOALS['validation_median_ms']} ms); "
          f"sandbox caches cleared each run: median {v['cold_median_ms']:.1f} ms, p95 {v['cold_p95_ms']:.1f} ms")


def _print_moves(m: dict) -> None:
    print(f"(7) moving {m['instances']:,} running instances to a new version ({m['refused']} refused): "
          f"median {m['median_ms']:.2f} ms, mean {m['mean_ms']:.2f} ms per instance, {m['total_s']:.1f} s in all; "
          f"÷ one task completion ({m['completion_ms']:.2f} ms) -> {m['ratio']:.2f} "
          f"(goal <= {GOALS['move_per_completion']})")
    for reason, count in m.get("refusals", {}).items():
        print(f"    refused {count}: {reason}")
