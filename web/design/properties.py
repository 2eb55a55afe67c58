"""The modeler's own properties (the Vårdflöde group of its properties panel, frontend/vardflode/):
the choices it offers, given to the page in its JSON block, and the check of one field as the
designer types (POST …/uttryck, the modeler page's guard and CSRF token): an expression or a script
by the engine's sandbox rules, a timer in words or ISO 8601 with what it means in words, and
instructions as the resident will see them. The server is the authority; nothing is stored."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request
from flask_babel import format_datetime, get_locale

import engine
import forms
from design import durations, outline
from web.design.common import designer, program_or_refuse
from web.programs import instructions
from web.shell.screens import ROLE_LABELS

bp = Blueprint("design_properties", __name__)

MAX_TEXT = engine.MAX_TEXT_CHARS  # the longest instructions a package may hold; expressions are shorter


def page_data(files: dict[str, bytes], main: str | None, language: str) -> dict:
    """What the properties group offers: roles for lanes, the package's forms, the processes of its
    other BPMN files, the helpers expressions may call, and the BPMN elements the engine runs (the
    palette and the replace menu leave out the others)."""
    return {
        "roles": [{"id": role, "name": name, "label": str(ROLE_LABELS.get(role, name))}
                  for role, name in engine.ROLES.items()],
        "forms": [{"value": f.value, "path": f.path, "library": f.library}
                  for f in outline.forms(files, forms.builtin_form_names())],
        "processes": [{"id": p.id, "name": p.name, "file": p.file} for p in outline.processes(files, skip=main)],
        "helpers": [{"name": h.name, "call": h.call, "text": h.en if language == "en" else h.sv}
                    for h in engine.expression_helpers()],
        "supported": sorted(engine.SUPPORTED_ELEMENTS),
        "platform_messages": {"resident": engine.RESIDENT_MESSAGE, "action_prefix": engine.ACTION_PREFIX},
        "new_form_url": None,  # the form editor is not here yet: the choice shows as disabled
    }


@bp.post("/design/program/<program_id>/uttryck")
def check_text(program_id: str):
    """One field's problems as {"problems": [...]} in the engine's words, with "iso" and "preview"
    for a timer and "html" for instructions. JSON ({"kind", "text"}) or form fields."""
    principal = designer()
    program_or_refuse(principal, program_id)
    sent = request.get_json(silent=True) if request.is_json else None
    sent = sent if isinstance(sent, dict) else request.form
    kind, text = sent.get("kind"), sent.get("text")
    if kind not in CHECKS or not isinstance(text, str) or len(text) > MAX_TEXT:
        return jsonify(error="send a known kind and a text"), 400
    return jsonify(CHECKS[kind](text, str(get_locale() or "sv")[:2]))


def _expression(text: str, language: str) -> dict:
    return {"problems": engine.check_expression(text)}


def _script(text: str, language: str) -> dict:
    return {"problems": engine.check_script(text)} if text.strip() else {"problems": []}


def _duration(text: str, language: str) -> dict:
    value = durations.to_iso(text) or text.strip()
    return _timer("timeDuration", value, durations.describe(value, language))


def _cycle(text: str, language: str) -> dict:
    value = text.strip()
    return _timer("timeCycle", value, durations.describe_cycle(value, language))


def _date(text: str, language: str) -> dict:
    value = text.strip()
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        when = None
    preview = format_datetime(when, "d MMMM y HH:mm") if when is not None and when.tzinfo else None
    return _timer("timeDate", value, preview)


def _timer(kind: str, value: str, preview: str | None) -> dict:
    """A literal timer (it has a preview) gives its ISO text; an expression is checked as one."""
    problems = engine.check_timer(kind, value)
    if problems or preview is None:
        return {"problems": problems, "iso": None, "preview": None}
    return {"problems": [], "iso": value, "preview": preview}


def _instructions(text: str, language: str) -> dict:
    # No task data here: {{ name }} stays as written and pictures as their lines, which is also
    # what the designer needs to see.
    return {"problems": [], "html": str(instructions.render(text))}


def _name(text: str, language: str) -> dict:
    name = text.strip()
    if not name.isidentifier() or name.startswith("_"):
        return {"problems": [f"'{name}' is not a valid variable name"]}
    # A helper's name is allowed: data shadows the helper (engine/shadowing.py finds a call of it).
    return {"problems": []}


CHECKS = {"expression": _expression, "script": _script, "duration": _duration, "cycle": _cycle,
          "date": _date, "instructions": _instructions, "name": _name}
