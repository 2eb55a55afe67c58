"""The forms of a program: the head revision's ``forms/*.form`` listed, a new one named, each opened
in the vendored form-js editor (static/design_forms.js), saved as a new revision with the other files
of its base unchanged (409 keeps the designer's form), and previewed as the server renders it for a
resident (forms/render.py) in Swedish and English, with the server's own validation messages when
the preview is answered. A preview stores nothing."""
from __future__ import annotations

import json

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _

import forms
from design import form_schema, store
from design.errors import DesignError, DesignForbidden, StaleRevision
from design.files import kind_of
from engine.db import db
from web.design.common import designer, program_or_refuse, reason, staff_names
from web.design.saving import new_file_name, posted_base, posted_message, save_file
from web.programs import instructions
from web.shell.screens import install_template_helpers, refuse

bp = Blueprint("design_forms", __name__, template_folder="templates")
install_template_helpers(bp)

LANGUAGES = ("sv", "en")
# The preview's own words are in the language of the form shown, whatever the page's language (as
# forms/render.py's are), so each preview reads as the resident's page in that language does.
PREVIEW_TEXTS = {
    "sv": {"heading": "Svenska", "send": "Skicka (förhandsvisning)", "accepted": "Servern godtar svaren."},
    "en": {"heading": "English", "send": "Send (preview)", "accepted": "The server accepts these answers."},
}
# Names of the preview's own fields: a form's keys are lowercase letters, digits and "_", so a
# name with "-" can never be one of them.
SCHEMA_FIELD, LANGUAGE_FIELD = "vf-schema", "vf-lang"


@bp.get("/design/program/<program_id>/formular")
def index(program_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    return _index(found, store.files(principal, found.id))


@bp.post("/design/program/<program_id>/formular")
def new(program_id: str):
    """A name for a new form: the editor opens empty, and nothing is stored until it is saved."""
    principal = designer()
    found = program_or_refuse(principal, program_id)
    files = store.files(principal, found.id)
    name, problem = new_file_name(files, "forms", ".form")
    if problem == "bad":
        return _index(found, files, _("The name may have letters a–z, digits, '-', '_' and '.', and must "
                                      "start with a letter or a digit."), name), 400
    if problem == "taken":
        return _index(found, files, _("There is already a form called %(name)s.", name=name), name), 400
    return redirect(url_for(".editor", program_id=found.id, name=name), 303)


@bp.get("/design/program/<program_id>/formular/<name>")
def editor(program_id: str, name: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    path = _path(name)
    data = store.files(principal, found.id).get(path)
    return _page(found, name, form_schema.for_editor(data, name), found.head_revision_id, new=data is None)


@bp.post("/design/program/<program_id>/formular/<name>")
def save(program_id: str, name: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    path, based_on, message = _path(name), posted_base(), posted_message()
    sent = request.form.get("schema", "")
    try:
        schema = form_schema.parse(sent)
    except form_schema.FormSchemaError:
        current = form_schema.for_editor(store.files(principal, found.id).get(path), name)
        return _page(found, name, current, based_on, message=message,
                     error=_("The form was not sent. Nothing was saved.")), 400
    locked = form_schema.locked_block_problems(schema)
    if locked:
        return _page(found, name, schema, based_on, message=message, error=_(
            "Nothing was saved: the questions of a locked instrument block were changed (%(ids)s). Remove "
            "the block and insert the instrument again.", ids=", ".join(locked))), 400
    original = store.files(principal, found.id, based_on).get(path) if based_on else None
    try:
        save_file(principal, found.id, based_on, path, form_schema.to_file(schema, original), message)
    except StaleRevision as stale:
        db.session.rollback()
        return _page(found, name, schema, stale.head_id, message=message, stale=stale), 409
    except DesignForbidden:
        refuse(principal, "not a designer of this program")
    except DesignError as error:
        db.session.rollback()
        problem = _("Nothing was saved: %(file)s: %(reason)s", file=error.file or "", reason=reason(error))
        return _page(found, name, schema, based_on, message=message, error=problem), 400
    return redirect(url_for(".index", program_id=found.id), 303)


@bp.post("/design/program/<program_id>/formular/<name>/forhandsvisning")
def preview(program_id: str, name: str):
    """The posted form as a resident gets it, in Swedish and in English; answered in one language, that
    one shows the server's validation messages. A fragment for the editor page's script (header
    X-Preview: 1), else a page of its own. Reads only: nothing is stored."""
    principal = designer()
    found = program_or_refuse(principal, program_id)
    _path(name)
    sent = request.form.get(SCHEMA_FIELD, "")
    answered = request.form.get(LANGUAGE_FIELD)
    try:
        form, problems = forms.load_form(form_schema.parse(sent), f"{name}.form"), []
    except form_schema.FormSchemaError:
        abort(400)
    except forms.FormError as error:
        form, problems = None, error.problems
    previews = [_rendering(form, language, answered == language) for language in LANGUAGES] if form else []
    template = "design/_form_preview.html" if request.headers.get("X-Preview") == "1" else "design/form_preview.html"
    return render_template(template, program=found, name=name, previews=previews, problems=problems,
                           schema=sent, schema_field=SCHEMA_FIELD, language_field=LANGUAGE_FIELD,
                           action=url_for(".preview", program_id=found.id, name=name))


def _rendering(form, language: str, answered: bool) -> dict:
    values, errors = None, None
    if answered:
        values = request.form.copy()
        for field in ("csrf_token", SCHEMA_FIELD, LANGUAGE_FIELD):
            values.pop(field, None)
        _clean, errors = forms.validate(form, values, language)
    html = forms.render_form(form, values, errors, language, markdown=instructions.render)
    return {"language": language, "html": html, "errors": bool(errors), "answered": answered,
            "texts": PREVIEW_TEXTS[language]}


def _path(name: str) -> str:
    path = f"forms/{name}.form"
    try:
        kind_of(path)
    except DesignError:
        abort(404)
    return path


def _index(found, files: dict[str, bytes], error: str | None = None, name: str = ""):
    names = sorted(p[len("forms/"):-len(".form")] for p in files if p.startswith("forms/"))
    return render_template("design/forms.html", program=found, names=names, error=error, name=name)


def _page(found, name: str, schema: dict, base: str | None, *, new: bool = False,
          message: str | None = None, stale=None, error=None):
    who = staff_names([stale.author]) if stale else {}
    instruments = form_schema.instrument_blocks()
    data = {"schema": schema, "language": str(get_locale() or "sv")[:2],
            "library": {b["id"]: b["block"] for b in instruments},
            "preview_url": url_for(".preview", program_id=found.id, name=name)}
    return render_template("design/form_editor.html", program=found, name=name, data=data, base=base or "",
                           instruments=instruments, new=new, message=message or "",
                           stale=stale, stale_author=who.get(getattr(stale, "author", None)), error=error,
                           schema_text=json.dumps(schema, ensure_ascii=False))

