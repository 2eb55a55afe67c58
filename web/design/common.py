"""What the design tool's screens share: who may open them, a program or a 403/404, refusals in
the visitor's language, and which BPMN file of a package the modeler opens. The rules themselves
are the draft store's (design/guard.py); this only turns its answers into pages."""
from __future__ import annotations

import json
import re

from flask_babel import lazy_gettext as _l

from access import staff_rights
from access.models import Staff
from design import store
from design.errors import DesignError, DesignForbidden
from engine.db import db
from web.shell.screens import not_found, refuse, signed_in_staff

# DesignError.code → what a designer reads; an unknown code shows the store's own message.
REASONS = {
    "bad_bpmn": _l("the BPMN cannot be read"),
    "bad_zip": _l("it is not a zip file that can be read"),
    "duplicate_entry": _l("the zip holds the same name twice"),
    "empty": _l("the file is empty"),
    "encrypted": _l("encrypted zip entries are not accepted"),
    "file_too_large": _l("the file is larger than allowed"),
    "no_name": _l("the program needs a name"),
    "not_bytes": _l("the file could not be read"),
    "not_that_picture": _l("the picture is not of the type its name says"),
    "symlink": _l("symbolic links are not accepted"),
    "too_large": _l("the package is larger than allowed"),
    "too_many_files": _l("the package has too many files"),
    "unknown_file": _l("this kind of file does not belong in a program package"),
    "unsafe_path": _l("the name leaves the program folder"),
    "zip_bomb": _l("the zip unpacks to far more than its size"),
    "not_utf8": _l("the text is not UTF-8"),
    "unknown_version": _l("the version is not in the catalogue"),
    "already_in_review": _l("a version of this program is already waiting for review"),
    "release_notes": _l("write release notes for the units' administrators (at most 4,000 characters)"),
    "has_problems": _l("the draft has problems to fix first: see the list on the program page"),
    "scenarios_failed": _l("scenarios that do not pass; run them on the program page to see why"),
    "needs_major_label": _l("the change is major: give it a new major version label"),
    "major_needs_new_label": _l("a major change needs a new major version label: send it back to the designer"),
    "bad_version_label": _l("write the version as MAJOR.MINOR, e.g. 1.1"),
    "label_not_newer": _l("the version must be newer than the published version"),
    "bad_program_json": _l("program.json cannot be read"),
    "not_in_review": _l("this submission is not waiting for a review"),
    "bad_decision": _l("choose approve, send back or reject"),
    "comment_needed": _l("say why, for the designer"),
    "four_eyes": _l("someone who submitted or saved this draft cannot review it"),
    "bad_change_kind": _l("a version is a minor or a major change"),
    "cannot_lower": _l("the platform found a major change; it cannot be approved as minor"),
    "another_units_version": _l("the version belongs to another publisher unit's program; you may copy only "
                                "your own unit's programs"),
}

STATES = {"draft": _l("Draft"), "in_review": _l("In review"), "published": _l("Published")}


def design_state(code: str) -> str:
    return str(STATES.get(code, code))


def designer():
    """The signed-in staff member, if strongly signed in for the design tool; else 403."""
    principal = signed_in_staff()
    if not staff_rights.may_use_design_tool(principal):
        refuse(principal, "needs the design tool")
    return principal


def program_or_refuse(principal, program_id: str):
    """The program, or 404 when there is none and 403 when it is another publisher unit's
    (the store has written the security event for that refusal)."""
    try:
        return store.program(principal, program_id)
    except DesignForbidden:
        refuse(principal, "another publisher unit's program")
    except DesignError:
        not_found(principal, f"design program {program_id[:40]}")


# Refusals whose detail helps the designer fix the file (the parser's reason and line), shown after
# the translated reason in the engine's words.
WITH_DETAIL = {"bad_bpmn"}


def reason(error: DesignError) -> str:
    text = REASONS.get(error.code)
    if text is None:
        return str(error)
    if error.detail:
        return f"{text} ({error.detail})"
    if error.code in WITH_DETAIL:
        detail = str(error).removeprefix(f"{error.file}: ") if error.file else str(error)
        return f"{text} ({detail})"
    return str(text)


def staff_names(ids) -> dict[str, str]:
    """Staff id → display name, for the authors in a history (unknown ids show as they are)."""
    wanted = set(ids)
    rows = db.session.query(Staff).filter(Staff.id.in_(wanted)).all() if wanted else []
    return {row.id: row.display_name for row in rows}


def main_bpmn(files: dict[str, bytes]) -> str | None:
    """The file program.json's main_process is defined in, else the first BPMN file by name."""
    bpmn = sorted(name for name in files if name.endswith(".bpmn"))
    main = _main_process(files.get("program.json"))
    if main:
        pattern = re.compile(rb'<(?:\w+:)?process\b[^>]*\bid="' + re.escape(main.encode()) + rb'"')
        for name in bpmn:
            if pattern.search(files[name]):
                return name
    return bpmn[0] if bpmn else None


def _main_process(data: bytes | None) -> str | None:
    try:
        meta = json.loads(data) if data else {}
    except ValueError:
        return None  # a draft may hold a broken program.json; the first BPMN file then
    value = meta.get("main_process") if isinstance(meta, dict) else None
    return value if isinstance(value, str) else None
