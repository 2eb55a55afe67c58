"""axe-core in the page: no violation of impact "serious" or "critical" (WCAG 2.1 AA, DESIGN.md).

axe-playwright-python injects its bundled axe.min.js with ``page.evaluate``; Playwright evaluates
through the DevTools protocol, which our strict CSP does not govern, so pages are checked exactly
as visitors get them (no ``bypass_csp``)."""
from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

FAILING_IMPACTS = {"serious", "critical"}
OPTIONS = {"resultTypes": ["violations"],
           "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
_axe = Axe()


def assert_accessible(page) -> None:
    """Fail with a readable list if axe finds a serious or critical violation on ``page``."""
    violations = _axe.run(page, options=OPTIONS).response["violations"]
    blocking = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
    if blocking:
        pytest.fail(report(page.url, blocking), pytrace=False)


def report(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious or critical accessibility violations on {url}:"]
    for violation in violations:
        lines.append(f"\n[{violation['impact']}] {violation['id']}: {violation['help']}\n  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(map(str, node['target']))}\n    {node['html']}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


WIDTHS = (1280, 320)


def screenshots(page, name: str) -> None:
    """Full-page screenshots at 1280 and 320 px when VARDFLODE_SCREENSHOTS names a folder, for a
    person to look at; nothing otherwise."""
    folder = os.environ.get("VARDFLODE_SCREENSHOTS")
    if folder:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def look(page, name: str) -> None:
    """axe at full width and at 320 px, with the screenshots of ``screenshots``."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
    screenshots(page, name)
