"""The dependency direction that holds the design together (DESIGN.md), checked in one place for
every package: only engine/ imports SpiffWorkflow; nothing below web imports web or Flask; the
engine imports no package above it; the domain packages import no actors; forms and settings stay
plain; the designer functions join only engine and forms; only settings reads the environment; only
cli imports cli; outside engine/ the engine is reached through its facade alone; and no module runs
text with eval, exec or compile.
The rules themselves are in tests/support/architecture.py; test_architecture_checker.py shows
that each of them still catches what it forbids."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import architecture

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture(scope="module")
def found():
    return {(v.rule, v.path, v.detail): v for v in architecture.check(ROOT)}


@pytest.mark.parametrize("rule", sorted(architecture.RULES))
def test_the_project_keeps_the_rule(found, rule):
    offenders = [str(v) for v in found.values() if v.rule == rule]
    assert offenders == [], architecture.RULES[rule].__doc__


def test_every_package_is_checked():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages <= set(architecture.PACKAGES), "a new package: add it to the rules"
