"""The texts and pictures of a program: ``texts/*.md`` (module pages) listed, written in a textarea,
previewed as a resident gets them (web/programs/instructions.py, the same safe Markdown subset, with
the package's pictures and texts) and saved as a revision; pictures uploaded into ``media/`` with
the draft store's checks (design/files.py: png, jpeg or webp whose bytes agree, at most 1 MB). A
refused upload or a stale save stores nothing and keeps what the designer wrote."""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from design import store
from design.errors import DesignError, DesignForbidden, StaleRevision
from design.files import check_file, kind_of
from engine import media_type
from engine.db import db
from web.design.common import designer, program_or_refuse, reason, staff_names
from web.design.saving import base_files, new_file_name, posted_base, posted_message, save_file
from web.programs import instructions
from web.shell.screens import install_template_helpers, refuse

bp = Blueprint("design_texts", __name__, template_folder="templates")
install_template_helpers(bp)


@bp.get("/design/program/<program_id>/texter")
def index(program_id: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    return _index(found, store.files(principal, found.id))


@bp.post("/design/program/<program_id>/texter")
def new(program_id: str):
    """A name for a new text: the editor opens empty, and nothing is stored until it is saved."""
    principal = designer()
    found = program_or_refuse(principal, program_id)
    files = store.files(principal, found.id)
    name, problem = new_file_name(files, "texts", ".md")
    if problem == "bad":
        return _index(found, files, _("The name may have letters a–z, digits, '-' and '_', and must start "
                                      "with a letter or a digit."), name=name)
    if problem == "taken":
        return _index(found, files, _("There is already a text called %(name)s.", name=name), name=name)
    return redirect(url_for(".editor", program_id=found.id, name=name), 303)


@bp.get("/design/program/<program_id>/texter/<name>")
def editor(program_id: str, name: str):
    principal = designer()
    found = program_or_refuse(principal, program_id)
    data = store.files(principal, found.id).get(_path(name))
    text = data.decode("utf-8", "replace") if data is not None else ""
    return _page(principal, found, name, text, found.head_revision_id, new=data is None)


@bp.post("/design/program/<program_id>/texter/<name>")
def save(program_id: str, name: str):
    """"Preview" renders the posted text under the textarea; "Save" stores it as a new revision."""
    principal = designer()
    found = program_or_refuse(principal, program_id)
    path, based_on, message = _path(name), posted_base(), posted_message()
    text = request.form.get("text", "").replace("\r\n", "\n")
    if request.form.get("action") == "preview":
        return _page(principal, found, name, text, based_on, message=message, preview=True)
    try:
        save_file(principal, found.id, based_on, path, text.encode("utf-8"), message)
    except StaleRevision as stale:
        db.session.rollback()
        return _page(principal, found, name, text, stale.head_id, message=message, stale=stale), 409
    except DesignForbidden:
        refuse(principal, "not a designer of this program")
    except DesignError as error:
        db.session.rollback()
        problem = _("Nothing was saved: %(file)s: %(reason)s", file=error.file or "", reason=reason(error))
        return _page(principal, found, name, text, based_on, message=message, error=problem), 400
    return redirect(url_for(".index", program_id=found.id), 303)


@bp.post("/design/program/<program_id>/bilder")
def upload(program_id: str):
    """A picture into ``media/``, as a new revision; refused (400, nothing stored) naming the file."""
    principal = designer()
    found = program_or_refuse(principal, program_id)
    picture = request.files.get("picture")
    if picture is None or not picture.filename:
        return _index(found, store.files(principal, found.id), _("Choose a picture to upload."))
    path, data = _media_path(picture.filename), picture.read()
    try:
        check_file(path, data)
        save_file(principal, found.id, posted_base(), path, data, _("Picture %(name)s", name=path))
    except StaleRevision:
        db.session.rollback()
        return _index(found, store.files(principal, found.id), _(
            "Someone else saved in between; the picture was not stored. Upload it again."), status=409)
    except DesignForbidden:
        refuse(principal, "not a designer of this program")
    except DesignError as error:
        db.session.rollback()
        return _index(found, store.files(principal, found.id), _(
            "%(upload)s was refused: %(reason)s. Nothing was stored.", upload=picture.filename,
            reason=reason(error)))
    return redirect(url_for(".index", program_id=found.id, _anchor="pictures"), 303)


@bp.get("/design/program/<program_id>/bild/<revision_id>/<filename>")
def picture(program_id: str, revision_id: str, filename: str):
    """A picture of a revision, for the preview; the revision never changes, so neither does this."""
    principal = designer()
    found = program_or_refuse(principal, program_id)
    try:
        files = store.files(principal, found.id, revision_id)
    except DesignError:
        abort(404)
    path = f"media/{filename}"
    kind = media_type(path, files[path]) if path in files else None
    if kind is None:
        abort(404)
    return Response(files[path], mimetype=kind, headers={"Content-Disposition": "inline"})


def _media_path(filename: str) -> str:
    """``media/<name>.<ext>`` from an uploaded file's name: its last part, other characters than
    letters, digits, '-' and '_' made '-', the extension in lower case; the store checks the rest."""
    base = PurePosixPath(filename.replace("\\", "/")).name
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"[^A-Za-z0-9_-]", "-", stem).lstrip("-_")[:80] or "bild"
    return f"media/{stem}.{ext.lower()}" if ext else f"media/{stem}"


def _path(name: str) -> str:
    path = f"texts/{name}.md"
    try:
        kind_of(path)
    except DesignError:
        abort(404)
    return path


def _names(files: dict[str, bytes], folder: str, suffix: str = "") -> list[str]:
    return sorted(p[len(folder):len(p) - len(suffix)] for p in files if p.startswith(folder))


def _index(found, files: dict[str, bytes], error: str | None = None, *, name: str = "", status: int = 400):
    page = render_template("design/texts.html", program=found, names=_names(files, "texts/", ".md"),
                           pictures=_names(files, "media/"), base=found.head_revision_id or "",
                           error=error, name=name)
    return (page, status) if error else page


def _page(principal, found, name: str, text: str, base: str | None, *, new: bool = False,
          message: str | None = None, preview: bool = False, stale=None, error=None):
    files = base_files(principal, found.id, base)
    revision = base or found.head_revision_id
    rendered = None
    if preview:
        texts = {p[len("texts/"):-len(".md")]: d.decode("utf-8", "replace") for p, d in files.items()
                 if p.startswith("texts/")}
        media = lambda path: url_for(".picture", program_id=found.id, revision_id=revision,  # noqa: E731
                                     filename=path.split("/", 1)[1])
        rendered = instructions.render(text, texts=texts, media_url=media)
    who = staff_names([stale.author]) if stale else {}
    return render_template("design/text_editor.html", program=found, name=name, text=text, base=base or "",
                           new=new, message=message or "", preview=rendered, stale=stale,
                           stale_author=who.get(getattr(stale, "author", None)), error=error,
                           pictures=_names(files, "media/"))
