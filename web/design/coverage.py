"""Täckning: a revision's path coverage (design/coverage.py) drawn on its BPMN diagrams with the
vendored bpmn-js viewer (static/design_coverage.js): elements and flows taken and never taken,
the percentage, and the never-taken ones as a list (the text alternative). Read-only, so the
publisher can be shown the same page when the program is sent for review."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from design import coverage, store
from design.errors import DesignError
from web.design.common import designer, main_bpmn, program_or_refuse
from web.shell.screens import install_template_helpers

bp = Blueprint("design_coverage", __name__, template_folder="templates")
install_template_helpers(bp)


@bp.get("/design/program/<program_id>/tackning")
@bp.get("/design/program/<program_id>/tackning/<revision_id>")
def revision_coverage(program_id: str, revision_id: str | None = None):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    try:
        files = store.files(principal, found.id, revision_id)
        covered = coverage.of_revision(principal, found.id, revision_id)
    except DesignError:
        abort(404)  # a revision of another program, or none
    return render_template("design/coverage.html", program=found, coverage=covered,
                           revision_id=revision_id or found.head_revision_id,
                           diagrams=_diagrams(files, covered) if covered else [])


def _diagrams(files: dict[str, bytes], covered: coverage.Coverage) -> list[dict]:
    """One diagram per BPMN file, the main one first; each marks the ids it holds."""
    main = main_bpmn(files)
    names = sorted((n for n in files if n.endswith(".bpmn")), key=lambda n: (n != main, n))
    taken = sorted(covered.taken_elements | covered.taken_flows)
    never = [item.id for item in covered.never_taken]
    return [{"file": name, "xml": files[name].decode("utf-8", "replace"), "taken": taken, "never": never}
            for name in names]
