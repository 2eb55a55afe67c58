"""Benchmark part (6): the validation round trip of the design tool, server side.

The live validation checks the whole package on every change of a draft (debounced, one server
call). What the server spends on that call is timed here: the shipped depression program's files
as a draft revision holds them (name -> bytes, in memory; the disk is read once, untimed), checked
with ``cli.packages.problems_of`` – forms, BPMN through the hardened XML loader and the schema,
the engine's rules, the sandbox compile of every expression and script, the SpiffWorkflow parse –
and the findings collected.

Nothing the engine keeps between calls is keyed by the package: ``engine.check_package`` has no
cache by content hash. Still, each run changes one byte of whitespace at the end of a text file, so
each run is a package the server has not seen (as after a designer's edit), and a cache by hash
added later could not make this figure look better than the live call.

What does stay warm between runs is what a running server keeps warm too: the sandbox's parsed
expressions by their text (an edit changes one expression; the rest are the same strings), the
built-in instruments, the BPMN schema. A second series clears the sandbox's caches before each
run – every expression new to the process, as on a worker's first call – and is reported apart.
"""
from __future__ import annotations

import statistics
import time

import engine
from cli import packages

PROGRAM = packages.WORKFLOWS / "programs" / "depression_icbt"
FULL = (50, 5)  # timed runs, untimed warm-up runs
QUICK = (20, 3)


def run(quick: bool, runs: int | None = None, warmup: int | None = None) -> dict:
    """Median and p95 of one whole-package check, warm and with the sandbox's caches cleared."""
    runs, warmup = (runs, warmup) if runs else (QUICK if quick else FULL)
    files = engine.read_paths([PROGRAM])
    edited = _edited_text(files)
    warm, findings = _series(files, edited, runs, warmup, cold=False)
    cold, _ = _series(files, edited, runs, warmup, cold=True)
    return {"program": PROGRAM.name, "files": len(files), "package_bytes": sum(map(len, files.values())),
            "findings": findings, "runs": runs, "median_ms": statistics.median(warm), "p95_ms": _p95(warm),
            "cold_median_ms": statistics.median(cold), "cold_p95_ms": _p95(cold), "edited_file": edited}


def _edited_text(files: dict[str, bytes]) -> str:
    """The text file whose trailing whitespace each run changes (Markdown ignores it)."""
    return sorted(name for name in files if name.startswith("texts/"))[-1]


def _variant(files: dict[str, bytes], edited: str, n: int) -> dict[str, bytes]:
    """The package with run ``n`` written into the edited text's end as spaces and tabs: a
    different byte string every run, the text the same to a reader."""
    tail = format(n + 1, "b").replace("0", " ").replace("1", "\t").encode()
    return {**files, edited: files[edited].rstrip() + b"\n" + tail + b"\n"}


def _series(files, edited, runs, warmup, cold: bool) -> tuple[list[float], int]:
    """Milliseconds of each timed run and the findings of the last (the shipped program has none;
    a count above 0 would mean the figure is of a failing check)."""
    timings, findings = [], 0
    for n in range(warmup + runs):
        package = _variant(files, edited, n + (warmup + runs if cold else 0))
        if cold:
            engine.forget_parsed_text()
        started = time.perf_counter()
        findings = len(packages.problems_of(package))
        elapsed = (time.perf_counter() - started) * 1000
        if n >= warmup:
            timings.append(elapsed)
    return timings, findings


def _p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile (with 20 runs, the second slowest)."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]
