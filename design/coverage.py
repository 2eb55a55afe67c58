"""Path coverage of a revision ("Täckning"): which of its elements and sequence flows the
revision's scenario runs and test runs have taken, stored with the revision (design_coverage) so
the designer and later the publisher see what was never exercised.

A revision's coverage is the union over its last "Kör alla scenarier" (one row, replaced on every
run) and each of its test runs (one row per test run, refreshed by ``record_test_run`` after each
step). The whole is every flow node and sequence flow of the revision's BPMN files
(engine.package_paths). Functions flush; the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

import engine
from design import revisions, store
from design.models import DesignCoverage, DesignRevision, DesignTestRun
from engine import clock
from engine.db import db

SCENARIOS, TEST_RUN = "scenarios", "test_run"


@dataclass(frozen=True)
class NeverTaken:
    id: str
    name: str  # the element's or flow's name, "" when it has none
    is_flow: bool


@dataclass(frozen=True)
class Coverage:
    revision_id: str
    everything: engine.Paths  # every element and flow of the revision
    taken_elements: frozenset
    taken_flows: frozenset
    scenario_runs: bool  # whether "Kör alla scenarier" has run on this revision
    test_runs: int  # how many test runs added to it

    @property
    def total(self) -> int:
        return len(self.everything.elements) + len(self.everything.flows)

    @property
    def taken(self) -> int:
        return len(self.taken_elements) + len(self.taken_flows)

    @property
    def percent(self) -> int:
        """Rounded down: 100 % only when everything was taken."""
        return self.taken * 100 // self.total if self.total else 0

    @property
    def never_taken(self) -> list[NeverTaken]:
        names = self.everything.names
        elements = [NeverTaken(i, names.get(i, ""), False) for i in sorted(self.everything.elements - self.taken_elements)]
        flows = [NeverTaken(i, names.get(i, ""), True) for i in sorted(self.everything.flows - self.taken_flows)]
        return elements + flows


def record_scenarios(revision_id: str, taken: list[engine.Paths]) -> DesignCoverage:
    """The union of what one "Kör alla scenarier" took, in place of the revision's previous run."""
    elements = set().union(*(paths.elements for paths in taken))
    flows = set().union(*(paths.flows for paths in taken))
    return _store(revision_id, SCENARIOS, "", elements, flows)


def record_test_run(test_run: DesignTestRun) -> DesignCoverage:
    """What the test run's instance has taken so far (running or finished), replacing the test
    run's earlier row. Call after each step of the test run."""
    paths = engine.paths_taken(test_run.instance_id)
    return _store(test_run.revision_id, TEST_RUN, test_run.id, paths.elements, paths.flows)


def of_revision(principal, program_id: str, revision_id: str | None = None) -> Coverage | None:
    """The revision's coverage (default: the head), or None when nothing has run on it yet.
    The store checks that the principal may open the program."""
    files = store.files(principal, program_id, revision_id)
    revision_id = revision_id or store.program(principal, program_id).head_revision_id
    return of_files(revision_id, files)


def of_submitted(revision_id: str) -> Coverage | None:
    """A submitted revision's coverage, for its review: the caller (design/publishing.py) has
    checked that the principal is a publisher of the program's publisher unit."""
    revision = db.session.get(DesignRevision, revision_id)
    return of_files(revision.id, revisions.files_of(revision)) if revision is not None else None


def of_files(revision_id: str, files: dict[str, bytes]) -> Coverage | None:
    rows = _rows_of(revision_id)
    if not rows:
        return None
    everything = engine.package_paths(files)
    elements = set().union(*(row.elements for row in rows)) & everything.elements
    flows = set().union(*(row.flows for row in rows)) & everything.flows
    return Coverage(revision_id, everything, frozenset(elements), frozenset(flows),
                    scenario_runs=any(row.source_kind == SCENARIOS for row in rows),
                    test_runs=sum(row.source_kind == TEST_RUN for row in rows))


def _rows_of(revision_id: str) -> list[DesignCoverage]:
    """The revision's rows; a test run's row only while the test run exists."""
    runs = select(DesignTestRun.id).where(DesignTestRun.revision_id == revision_id)
    return list(db.session.scalars(
        select(DesignCoverage).where(DesignCoverage.revision_id == revision_id)
        .where((DesignCoverage.source_kind == SCENARIOS) | DesignCoverage.source_id.in_(runs))))


def _store(revision_id: str, kind: str, source_id: str, elements, flows) -> DesignCoverage:
    row = db.session.scalar(select(DesignCoverage).where(
        DesignCoverage.revision_id == revision_id, DesignCoverage.source_kind == kind,
        DesignCoverage.source_id == source_id))
    if row is None:
        row = DesignCoverage(revision_id=revision_id, source_kind=kind, source_id=source_id)
        db.session.add(row)
    row.elements, row.flows, row.computed_at = sorted(elements), sorted(flows), clock.now()
    db.session.flush()
    return row
