"""``_send`` in a simulate scenario: a delivery nothing catches, or one never sent, is an unmet
expectation, never a quiet pass; a malformed entry is refused before the run."""
from __future__ import annotations

import json
from pathlib import Path

from cli import simulate

PROGRAM = Path(__file__).resolve().parent.parent / "constructs" / "clinician_action_message"


def run(tmp_path, scenario: dict, capsys) -> tuple[int, str]:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    code = simulate.main(str(PROGRAM), str(path))
    out, err = capsys.readouterr()
    return code, out + err


def test_a_message_nothing_waits_for_is_an_unmet_expectation(tmp_path, capsys):
    code, out = run(tmp_path, {"diary": {}, "next_diary": {}, "_send": [
        {"message": "vardflode.action.other"}, {"message": "vardflode.action.call_done", "after": "diary"}]}, capsys)
    assert "END STATE: completed" in out  # the second one was caught
    assert code == 1 and "the message 'vardflode.action.other' at 2026-01-05T08:00:00+00:00 was caught by nothing" in out


def test_a_send_whose_element_is_never_reached_is_reported(tmp_path, capsys):
    code, out = run(tmp_path, {"diary": {}, "_send": [{"message": "vardflode.action.call_done", "after": "nowhere"}]},
                    capsys)
    assert code == 1 and "the message 'vardflode.action.call_done' was never sent" in out


def test_a_malformed_send_is_refused_before_the_run(tmp_path, capsys):
    code, out = run(tmp_path, {"_send": [{"message": "a", "signal": "b"}]}, capsys)
    assert code == 2 and "needs one 'message' or 'signal'" in out
