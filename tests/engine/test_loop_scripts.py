"""A looped or multi-instance step runs its postScript each time it is sent, without the designer
setting SpiffWorkflow's ``scriptsOnInstances``; versions stored before that still pass the
integrity check and run as they were stored."""
from __future__ import annotations

from pathlib import Path

import pytest

import engine
from engine import instances, integrity, package
from engine.db import db
from engine.models import ProgramVersion
from tests.engine.test_runtime import RESIDENT, complete, start

CONSTRUCTS = Path(__file__).resolve().parent.parent / "constructs"
LOOP = CONSTRUCTS / "loop_postscript_per_round"
MULTI = CONSTRUCTS / "multi_instance_postscript_per_instance"


def send_every_exercise(version: str) -> str:
    """Start, send the exercise until it stops coming; the end event the instance reached."""
    instance_id = start(version).instance_id
    for _ in range(10):
        open_ = [t for t in engine.ready_tasks(instance_id) if t.element_id == "exercise"]
        if not open_:
            break
        complete(open_[0], RESIDENT)
    assert engine.instance(instance_id).status == "completed"
    return next(e.element_id for e in engine.history(instance_id) if e.element_id in ("end_per_step", "end_once"))


@pytest.mark.parametrize("folder", [LOOP, MULTI], ids=["loop", "multi_instance"])
def test_the_postscript_runs_every_time_the_step_is_sent(publish, folder):
    assert send_every_exercise(publish(folder)) == "end_per_step"


def test_the_stored_files_say_that_scripts_run_per_round_and_match_their_hash(publish):
    version = publish(LOOP)
    row = db.session.get(ProgramVersion, version)
    assert 'scriptsOnInstances="true"' in row.files["loop_post.bpmn"]
    assert "rounds = rounds + 1" in row.files["loop_post.bpmn"]
    instances.forget_cached_versions()
    integrity.verify(row)  # raises VersionRefused if the stored spec differs from its files


def test_a_designer_who_wants_the_script_once_for_the_loop_keeps_it(publish):
    files = engine.read_paths([LOOP])
    files["loop_post.bpmn"] = files["loop_post.bpmn"].replace(
        b'loopMaximum="3" />', b'loopMaximum="3" spiffworkflow:scriptsOnInstances="false" />')
    assert send_every_exercise(publish(files)) == "end_once"


def test_a_version_stored_before_loop_scripts_were_marked_still_passes_and_runs_as_stored(ctx):
    # What the old check stored: the files as written and the spec compiled from them unmarked,
    # which is what rebuild (the integrity check's compile) gives for unmarked files.
    files = engine.read_paths([LOOP])
    old = package.rebuild(files)
    assert b"scriptsOnInstances" not in old.files["loop_post.bpmn"]
    version = engine.store_version(old).content_hash
    db.session.commit()
    instances.forget_cached_versions()  # a fresh process: the check runs before first use
    integrity.verify(db.session.get(ProgramVersion, version))
    assert send_every_exercise(version) == "end_once"  # a version never changes what it runs
    assert engine.check_package(files).content_hash != version  # published again: a new version
