"""Saving one file of a program, as the form and text screens do: the base revision's files with that
file replaced (or added), through store.save, so a save over a newer revision is StaleRevision and
the screen answers 409 with the designer's own content kept (as the modeler does)."""
from __future__ import annotations

from flask import request

from design import store
from design.errors import DesignError
from design.files import kind_of

MAX_MESSAGE = 500  # design_revision.message


def base_files(principal, program_id: str, based_on: str | None) -> dict[str, bytes]:
    """The files of the revision the designer started from; the head's for an unknown base (save()
    then refuses that base as stale)."""
    try:
        return store.files(principal, program_id, based_on)
    except DesignError:
        return store.files(principal, program_id)


def save_file(principal, program_id: str, based_on: str | None, path: str, data: bytes,
              message: str | None) -> None:
    """Store ``path`` = ``data`` on top of ``based_on``; raises the store's refusals."""
    files = base_files(principal, program_id, based_on)
    files[path] = data
    store.save(principal, program_id, files, based_on, principal.id, message)


def posted_message() -> str | None:
    """The optional save message of the posted form, on one line and cut to the column's size."""
    return " ".join(request.form.get("message", "").split())[:MAX_MESSAGE] or None


def posted_base() -> str | None:
    return request.form.get("based_on") or None


def new_file_name(files: dict[str, bytes], folder: str, suffix: str) -> tuple[str, str | None]:
    """The posted name of a new file in ``folder`` (without its suffix), and why it will not do:
    "bad" (not a name the package layout takes), "taken" (the revision has it), or None."""
    name = request.form.get("name", "").strip().removesuffix(suffix)
    try:
        kind_of(f"{folder}/{name}{suffix}")
    except DesignError:
        return name, "bad"
    return name, "taken" if f"{folder}/{name}{suffix}" in files else None
