"""What a draft may hold, checked before anything is stored: the folder layout of
``workflows/programs/*`` and nothing else, text as UTF-8, pictures that are what their name says,
BPMN that the engine's hardened XML parser accepts, and the engine's size limits.

A draft may have problems the validator finds (a designer saves half-drawn work); these checks
are the ones no draft may fail, because what they refuse is unsafe or unusable to store.
"""
from __future__ import annotations

import re

import engine
from design.errors import DesignError

# The layout of a program folder (docs/ENGINE.md): kind -> the paths it may have.
KINDS = {
    "metadata": re.compile(r"program\.json"),
    "bpmn": re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}\.bpmn"),
    "form": re.compile(r"forms/[A-Za-z0-9][A-Za-z0-9_.-]{0,80}\.form"),
    "text": engine.TEXT_PATH,
    "media": engine.MEDIA_PATH,
    "scenario": re.compile(r"scenarios/[A-Za-z0-9][A-Za-z0-9_.-]{0,80}\.json"),
}
# Forms, program.json and scenarios have no limit in the engine; a form of the instrument
# library is a few kB, so 1 MB is generous.
MAX_PLAIN_BYTES = 1024 * 1024
MAX_FILES = 500


def kind_of(name: str) -> str:
    for kind, pattern in KINDS.items():
        if pattern.fullmatch(name):
            return kind
    raise DesignError("unknown_file", "not a file a program package holds (program.json, *.bpmn, forms/*.form, "
                      "texts/*.md, media/*.png|jpg|webp, scenarios/*.json), or its name has characters "
                      "other than letters, digits, '-', '_' and '.'", name)


def check_files(files: dict[str, bytes]) -> None:
    """Raise DesignError naming the first file no draft may hold; return if all are fine."""
    if not files:
        raise DesignError("empty", "the package has no files")
    if len(files) > MAX_FILES:
        raise DesignError("too_many_files", f"the package has more than {MAX_FILES} files")
    if sum(len(data) for data in files.values()) > engine.MAX_PACKAGE_BYTES:
        raise DesignError("too_large", f"the package is larger than {engine.MAX_PACKAGE_BYTES // 2**20} MB")
    for name in sorted(files):
        check_file(name, files[name])


def check_file(name: str, data: bytes) -> None:
    if not isinstance(data, bytes):
        raise DesignError("not_bytes", "file contents must be bytes", name)
    kind = kind_of(name)
    if kind == "media":
        if len(data) > engine.MAX_MEDIA_BYTES:
            raise DesignError("file_too_large", f"the picture is larger than {engine.MAX_MEDIA_BYTES // 1024} kB", name)
        if engine.media_type(name, data) is None:
            raise DesignError("not_that_picture", "the file is not the kind of picture its name says "
                              "(png, jpeg or webp)", name)
        return
    limit = engine.MAX_BPMN_BYTES if kind == "bpmn" else MAX_PLAIN_BYTES
    if len(data) > limit:
        raise DesignError("file_too_large", f"the file is larger than {limit // 1024} kB", name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DesignError("not_utf8", "the file is not UTF-8 text", name) from None
    if kind == "text" and len(text) > engine.MAX_TEXT_CHARS:
        raise DesignError("file_too_large", f"the text is longer than {engine.MAX_TEXT_CHARS} characters", name)
    if kind == "bpmn":
        try:
            engine.parse_xml(data)  # the engine's hardened parser: no DTD, entities or network
        except engine.XmlRejected as err:
            raise DesignError("bad_bpmn", err.reason + (f" (line {err.line})" if err.line else ""), name) from None
