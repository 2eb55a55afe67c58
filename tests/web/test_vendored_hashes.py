"""The vendored front-end files are the bytes their READMEs record: a rebuilt bundle whose hash was
not written down, or a hand edit of a committed file, fails here instead of going unnoticed."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

VENDOR = Path(__file__).resolve().parents[2] / "web" / "static" / "vendor"
# A table row naming a file in back-quotes first and, later in the row, its SHA-256 in back-quotes.
ROW = re.compile(r"^\| `([^`]+)` \|.*?`([0-9a-f]{64})`", re.M)


def recorded() -> list[tuple[Path, str]]:
    rows = []
    for readme in sorted(VENDOR.rglob("README.md")):
        for name, digest in ROW.findall(readme.read_text(encoding="utf-8")):
            for base in (readme.parent, VENDOR):  # names are relative to their README or to vendor/
                if (base / name).is_file():
                    rows.append((base / name, digest))
                    break
    return rows


def test_every_bundle_has_its_hash_recorded():
    named = {path.relative_to(VENDOR).as_posix() for path, _ in recorded()}
    for bundle in ("modeler/modeler.js", "form-editor/form-editor.js", "bpmn-js/bpmn-navigated-viewer.production.min.js"):
        assert bundle in named


@pytest.mark.parametrize("path, digest", recorded(), ids=lambda v: v.relative_to(VENDOR).as_posix() if isinstance(v, Path) else "")
def test_the_file_is_the_bytes_its_readme_records(path, digest):
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
