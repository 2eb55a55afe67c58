"""Evidence files (R61): screenshots and other files, checked by their first bytes rather than by
what the browser or the name says, limited in size and number, and stored under the configured
evidence folder, which is outside the web root: nothing serves it but ``read``, which only the
case's handlers reach. The uploaded file name is not kept (it may name a patient); nothing about a
file's content goes to a log. Support cases (R66, R84) carry their screenshots the same way."""
from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from incidents.errors import IncidentError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5
# What a name's ending says the file is; the first bytes must agree.
TYPES_BY_SUFFIX = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
                   ".pdf": "application/pdf", ".txt": "text/plain"}


class EvidenceError(IncidentError):
    """A file refused: its ``code`` (``evidence_*``) names the rule. Other cases that carry evidence
    (support cases, support/cases.py) catch this one and say it in their own words."""


@dataclass(frozen=True)
class Upload:
    """One file as it came: its name (used only for its ending) and its bytes."""
    name: str
    data: bytes


def sniffed_type(data: bytes) -> str | None:
    """The type the first bytes show, or None for a kind of file evidence may not be."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:5] == b"%PDF-":
        return "application/pdf"
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
            return "text/plain"
        except UnicodeDecodeError:
            return None
    return None


def checked(upload: Upload, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The file's type; EvidenceError when it is empty, too big, or not what its name says."""
    if not upload.data:
        raise EvidenceError("evidence_empty", "the file is empty")
    if len(upload.data) > max_bytes:
        raise EvidenceError("evidence_too_big", f"a file may be at most {max_bytes // (1024 * 1024)} MB")
    claimed = TYPES_BY_SUFFIX.get(Path(upload.name or "").suffix.lower())
    if claimed is None:
        raise EvidenceError("evidence_type", "evidence may be a picture (png, jpeg, webp), a pdf or a text file")
    if sniffed_type(upload.data) != claimed:
        raise EvidenceError("evidence_mismatch", "the file is not the kind of file its name says")
    return claimed


def store(folder: Path, data: bytes) -> str:
    """Write the bytes under an opaque name, readable by the platform's user only; the name."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = uuid.uuid4().hex
    temporary = folder / f".{name}.part"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    temporary.replace(folder / name)  # whole or not at all
    return name


def load(folder: Path, stored_name: str) -> bytes:
    if not stored_name.isalnum():  # names are ours (hex); anything else is not a file of this folder
        raise EvidenceError("evidence_missing", "no such evidence file")
    try:
        return (folder / stored_name).read_bytes()
    except FileNotFoundError:
        raise EvidenceError("evidence_missing", "no such evidence file") from None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
