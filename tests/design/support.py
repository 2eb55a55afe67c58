"""Designers and packages for the draft store's tests."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from access.models import RoleGrant
from access.principal import Principal

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p.parent for p in (ROOT / "workflows" / "programs").glob("*/program.json"))


@dataclass
class Org:
    publisher: str
    other: str


def designer(unit: str, staff_id: str = "designer-1", role: str = "designer",
             auth_method: str = "password_totp") -> Principal:
    """A strongly signed-in staff member with ``role`` on one publisher unit (not stored: the
    store asks the principal, as a request's principal is asked)."""
    grant = RoleGrant(staff_id=staff_id, role=role, scope_type="publisher_unit", scope_id=unit)
    return Principal(kind="staff", id=staff_id, display_name="Dana Designer", auth_method=auth_method,
                     session_hash="h", grants=[grant], roles={role})


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file of a program folder, scenarios too (engine.read_paths leaves them out)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def zipped(entries: dict[str, bytes], *, symlinks=(), method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            if name in symlinks:
                info.external_attr = 0o120777 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def unzip(data: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            target = into / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
    return into
