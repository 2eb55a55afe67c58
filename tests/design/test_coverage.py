"""Path coverage stored with a revision (design/coverage.py): the last "Kör alla scenarier"
replaces its row, each test run keeps a row of its own refreshed after its steps, and the
percentage counts the revision's elements and flows taken by any of them."""
from __future__ import annotations

import pytest

import engine
from design import coverage, store
from design.models import DesignCoverage, DesignTestRun
from design.package_check import load_files
from engine.db import db
from tests.design.support import designer

# The blank template: start → first_answer → end over flow_1 and flow_2 (five in all).
EVERYTHING = 5


def blank(org):
    principal = designer(org.publisher)
    program = store.create_blank(principal, org.publisher, "Täckt")
    db.session.commit()
    return principal, program


def test_nothing_run_is_no_coverage(org):
    principal, program = blank(org)
    assert coverage.of_revision(principal, program.id) is None


def test_a_new_scenario_run_replaces_the_previous_one(org):
    principal, program = blank(org)
    head = program.head_revision_id
    coverage.record_scenarios(head, [engine.Paths(frozenset({"start", "first_answer", "end"}),
                                                  frozenset({"flow_1", "flow_2"}))])
    assert coverage.of_revision(principal, program.id).percent == 100

    coverage.record_scenarios(head, [engine.Paths(frozenset({"start"}), frozenset()),
                                     engine.Paths(frozenset({"first_answer"}), frozenset({"flow_1"}))])
    db.session.commit()
    found = coverage.of_revision(principal, program.id)
    assert (found.taken, found.total, found.percent) == (3, EVERYTHING, 60)
    assert [(n.id, n.is_flow) for n in found.never_taken] == [("end", False), ("flow_2", True)]
    assert db.session.query(DesignCoverage).count() == 1


def test_ids_the_revision_does_not_have_are_not_counted(org):
    principal, program = blank(org)
    coverage.record_scenarios(program.head_revision_id,
                              [engine.Paths(frozenset({"start", "ghost"}), frozenset({"flow_9"}))])
    found = coverage.of_revision(principal, program.id)
    assert (found.taken, found.percent) == (1, 20)


def start_test_run(principal, program) -> DesignTestRun:
    """As the lead's test runs do: the revision stored as a version, a test instance of it."""
    files = store.files(principal, program.id)
    version = engine.store_version(load_files({n: d for n, d in files.items() if not n.startswith("scenarios/")}))
    started = engine.start(version.content_hash, engine.SYSTEM, unit_id="test", subject_id="test-resident",
                           owner_id="test-clinician", is_test=True)
    run = DesignTestRun(program_id=program.id, revision_id=program.head_revision_id, instance_id=started.instance_id,
                        resident_id="test-resident", clinician_id="test-clinician", started_by=principal.id)
    db.session.add(run)
    db.session.commit()
    return run


def test_a_test_run_row_follows_its_instance_step_by_step(org):
    principal, program = blank(org)
    run = start_test_run(principal, program)
    coverage.record_test_run(run)
    db.session.commit()
    found = coverage.of_revision(principal, program.id)
    assert (found.taken, found.percent, found.test_runs, found.scenario_runs) == (3, 60, 1, False)

    (task,) = engine.ready_tasks(run.instance_id)
    engine.complete_task(task.id, engine.SYSTEM, {})
    coverage.record_test_run(run)
    db.session.commit()
    assert coverage.of_revision(principal, program.id).percent == 100
    assert db.session.query(DesignCoverage).count() == 1


def test_scenarios_and_test_runs_add_up(org):
    principal, program = blank(org)
    coverage.record_scenarios(program.head_revision_id, [engine.Paths(frozenset({"end"}), frozenset({"flow_2"}))])
    coverage.record_test_run(start_test_run(principal, program))
    found = coverage.of_revision(principal, program.id)
    assert (found.percent, found.never_taken) == (100, [])


def test_another_units_designer_cannot_read_the_coverage(org):
    from design.errors import DesignForbidden
    _principal, program = blank(org)
    with pytest.raises(DesignForbidden):
        coverage.of_revision(designer(org.other, staff_id="designer-2"), program.id)
