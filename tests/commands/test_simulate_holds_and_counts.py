"""The simulate driver can leave one task open while another is answered (``_after``) and check how
often an element happened (``_expect.times``): what a scenario needs to show that a reminder outlives
the task it reminds of."""
from __future__ import annotations

import json
from pathlib import Path

from cli import simulate

CYCLE = Path(__file__).resolve().parents[1] / "constructs" / "boundary_timer_cycle_reminders"


def run(tmp_path, scenario: dict, capsys) -> tuple[int, list[str]]:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    code = simulate.main(str(CYCLE), str(path))
    return code, capsys.readouterr().out.splitlines()


def completions(lines, element):
    return [i for i, line in enumerate(lines) if f"  {element} " in line and " completed" in line]


def test_the_first_ready_task_is_answered_first_unless_held(tmp_path, capsys):
    code, lines = run(tmp_path, {"_wait": {"diary": "P8D"}, "diary": {}, "read_reminder": {}}, capsys)
    assert code == 0, lines
    assert completions(lines, "diary")[0] < completions(lines, "read_reminder")[0]


def test_a_held_task_is_answered_only_after_the_task_it_waits_for(tmp_path, capsys):
    # The diary came first, but is held until the reminder that came a week later is read.
    code, lines = run(tmp_path, {"_wait": {"diary": "P8D"}, "_after": {"diary": ["read_reminder"]},
                                 "diary": {}, "read_reminder": {}}, capsys)
    assert code == 0, lines
    assert completions(lines, "read_reminder")[0] < completions(lines, "diary")[0]


def test_a_task_held_for_ever_stays_open_and_the_run_ends_there(tmp_path, capsys):
    code, lines = run(tmp_path, {"_wait": {"diary": "P8D"}, "_after": {"read_reminder": "nothing"},
                                 "_expect": {"status": "running"}, "diary": {}, "read_reminder": {}}, capsys)
    assert code == 0, lines
    assert "still waiting for: read_reminder" in lines


def test_times_counts_completions_and_firings(tmp_path, capsys):
    code, lines = run(tmp_path, {"_wait": {"diary": "P22D"}, "_expect": {"times": {"remind_weekly": 2, "diary": 1}},
                                 "diary": {}, "read_reminder": {}}, capsys)
    assert code == 1
    assert "EXPECTATION NOT MET: 'remind_weekly' happened 3 times, not 2" in lines
    assert not any("'diary' happened" in line for line in lines)
