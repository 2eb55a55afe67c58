"""Editing a program's scenarios in the browser: every ``scenarios/*.json`` of the head revision
in a text area of its own, plus room for a new one, saved as a new revision with the other files
of the revision it was based on unchanged (design/store.py save). Text that is not a JSON object
is refused naming the file and line, with everything the designer typed kept; a save over a newer
revision answers 409 as the modeler does."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from design import store
from design.errors import DesignError, DesignForbidden, StaleRevision
from engine.db import db
from web.design.common import designer, program_or_refuse, reason, staff_names
from web.shell.screens import install_template_helpers, refuse

bp = Blueprint("design_scenario_edit", __name__, template_folder="templates")
install_template_helpers(bp)

FOLDER = "scenarios/"
MAX_MESSAGE = 500  # design_revision.message
_NEW_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,80}")


@dataclass
class Scenario:
    name: str  # the file name inside scenarios/
    text: str
    error: str | None = None


@bp.get("/design/program/<program_id>/scenarier/redigera")
def edit(program_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    files = store.files(principal, found.id)
    scenarios = [Scenario(name.removeprefix(FOLDER), files[name].decode("utf-8"))
                 for name in sorted(files) if name.startswith(FOLDER) and name.endswith(".json")]
    return _page(found, scenarios, found.head_revision_id)


@bp.post("/design/program/<program_id>/scenarier/redigera")
def save(program_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    based_on = request.form.get("based_on") or None
    message = " ".join(request.form.get("message", "").split())[:MAX_MESSAGE] or None
    scenarios, new = _posted()
    problems = [s for s in scenarios if s.error] + ([new] if new.error else [])
    if problems:
        return _page(found, scenarios, based_on, new=new, message=message, errors=problems), 400
    written = scenarios + ([new] if new.text.strip() else [])
    try:
        files = store.files(principal, found.id, based_on)
    except DesignError:
        files = store.files(principal, found.id)  # an unknown base: save() refuses it as stale
    files.update({FOLDER + s.name: s.text.encode("utf-8") for s in written})
    try:
        store.save(principal, found.id, files, based_on, principal.id, message)
    except StaleRevision as stale:
        db.session.rollback()
        return _page(found, scenarios, stale.head_id, new=new, message=message, stale=stale), 409
    except DesignForbidden:
        refuse(principal, "not a designer of this program")
    except DesignError as error:
        db.session.rollback()
        problem = _("Nothing was saved: %(file)s: %(reason)s", file=error.file or "", reason=reason(error))
        return _page(found, scenarios, based_on, new=new, message=message, error=problem), 400
    return redirect(url_for("design_programs.program", program_id=found.id), 303)


def _posted() -> tuple[list[Scenario], Scenario]:
    """The posted scenarios (name and text in pairs) and the new one, each checked as JSON.
    Browsers send a text area's line ends as CRLF: back to LF, so an untouched file stays the same."""
    names, texts = request.form.getlist("name"), request.form.getlist("text")
    scenarios = [_checked(Scenario(name, _lf(text))) for name, text in zip(names, texts)]
    new = Scenario(request.form.get("new_name", "").strip().removesuffix(".json"), _lf(request.form.get("new_text", "")))
    if new.text.strip() or new.name:
        if not _NEW_NAME.fullmatch(new.name):
            new.error = _("Give the new scenario a file name of letters, digits, - and _ (for example risk_answer).")
        elif new.name + ".json" in {s.name for s in scenarios}:
            new.error = _("%(file)s already exists; choose another name.", file=FOLDER + new.name + ".json")
        else:
            new.name += ".json"
            _checked(new)
    return scenarios, new


def _checked(scenario: Scenario) -> Scenario:
    path = FOLDER + scenario.name
    try:
        data = json.loads(scenario.text)
    except json.JSONDecodeError as err:
        scenario.error = _("%(file)s, line %(line)s, column %(column)s: not valid JSON (%(reason)s).",
                           file=path, line=err.lineno, column=err.colno, reason=err.msg)
        return scenario
    if not isinstance(data, dict):
        scenario.error = _("%(file)s: a scenario is a JSON object, in { }.", file=path)
    return scenario


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def _page(found, scenarios, base, *, new: Scenario | None = None, message=None, errors=(), stale=None, error=None):
    names = staff_names([stale.author]) if stale else {}
    return render_template("design/scenario_edit.html", program=found, scenarios=scenarios,
                           new=new or Scenario("", ""), base=base or "", message=message or "",
                           errors=list(errors), stale=stale, stale_author=names.get(getattr(stale, "author", None)),
                           error=error)
