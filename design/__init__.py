"""The design tool's draft store (Designverktyget, docs/DESIGN_TOOL.md): a publisher unit's
programs as drafts, each save an immutable content-addressed revision. Imports engine, access and
catalogue, never web or Flask; functions flush, the caller commits once."""
from design.errors import DesignError, DesignForbidden, StaleRevision
from design.models import STATES, DesignProgram, DesignRevision
from design.store import (RevisionInfo, create_blank, create_from_version, export_zip, files, history,
                          import_bpmn, import_report_of, import_zip, program, programs, restore, save)

__all__ = [
    "DesignError", "DesignForbidden", "StaleRevision", "STATES", "DesignProgram", "DesignRevision",
    "RevisionInfo", "create_blank", "create_from_version", "export_zip", "files", "history", "import_bpmn",
    "import_report_of", "import_zip", "program", "programs", "restore", "save",
]
