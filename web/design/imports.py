"""The import report: what the platform does not run of a BPMN file imported from another tool,
per element, with what to do instead (design/import_report.py). The designer lands here after the
import; the modeler marks the same elements with its live findings."""
from __future__ import annotations

from flask import Blueprint, render_template

from design import store
from web.design.common import designer, program_or_refuse
from web.shell.screens import install_template_helpers, not_found

bp = Blueprint("design_imports", __name__, template_folder="templates")
install_template_helpers(bp)


@bp.get("/design/program/<program_id>/import")
def report(program_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    kept = store.import_report_of(principal, found.id)
    if kept is None:
        not_found(principal, f"import report of {program_id[:40]}")
    on_diagram = [e for e in kept.entries if e["kind"]]
    on_file = [e for e in kept.entries if not e["kind"]]
    return render_template("design/import_report.html", program=found, report=kept,
                           on_diagram=on_diagram, on_file=on_file)
