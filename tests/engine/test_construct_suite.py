"""The construct suite (tests/constructs/): every construct the engine accepts runs as BPMN says
through ``vardflode simulate``, and every construct it cannot run correctly is refused by
``validate`` with a reason naming the element."""
from __future__ import annotations

from pathlib import Path

import pytest

from cli import packages, simulate

SUITE = Path(__file__).resolve().parent.parent / "constructs"
FOLDERS = sorted(p for p in SUITE.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
RUNS = [s for folder in FOLDERS for s in sorted((folder / "scenarios").glob("*.json"))]
REFUSED = [folder for folder in FOLDERS if (folder / "refused.txt").exists()]


def test_every_construct_either_runs_or_is_refused():
    for folder in FOLDERS:
        has_runs, refused = any((folder / "scenarios").glob("*.json")), (folder / "refused.txt").exists()
        assert has_runs != refused, f"{folder.name}: scenarios to run, or refused.txt – one of them"


@pytest.mark.parametrize("scenario", RUNS, ids=lambda s: f"{s.parent.parent.name}/{s.stem}")
def test_the_construct_runs_as_bpmn_says(scenario, capsys):
    code = simulate.main(str(scenario.parent.parent), str(scenario))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == 0, out[-3000:] + err[-2000:]


@pytest.mark.parametrize("folder", REFUSED, ids=lambda f: f.name)
def test_the_construct_is_refused_with_its_reason(folder):
    reason = (folder / "refused.txt").read_text(encoding="utf-8").strip()
    problems = [str(p) for p in packages.problems_in(folder)]
    assert any(reason in p for p in problems), problems
