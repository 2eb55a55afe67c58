"""`vardflode bench` part (6) times the design tool's live validation on the server: one check of
the whole depression program from bytes in memory. With tiny repetitions here: the figures are
there and positive, the shipped program has no findings, and the cold series is a series too."""
from __future__ import annotations

from cli import bench_validate


def test_the_validation_round_trip_is_timed_on_the_whole_program():
    report = bench_validate.run(quick=True, runs=3, warmup=1)
    assert report["runs"] == 3 and report["files"] > 10 and report["package_bytes"] > 0
    assert report["findings"] == 0  # a figure of a failing check would measure something else
    assert all(report[k] > 0 for k in ("median_ms", "p95_ms", "cold_median_ms", "cold_p95_ms"))
    assert report["p95_ms"] >= report["median_ms"]


def test_each_run_checks_a_package_it_has_not_seen():
    files = {"texts/a.md": b"# A\n", "x.bpmn": b"<x/>"}
    variants = {bench_validate._variant(files, "texts/a.md", n)["texts/a.md"] for n in range(100)}
    assert len(variants) == 100
    assert all(v.rstrip() == b"# A" for v in variants)
