"""Program packages as zip files: read untrusted ones without trusting their headers, and write
the folder layout back so that the unzipped folder is a program ``vardflode validate`` accepts.

A zip's sizes are claims; a bomb lies about them. So entries are read in chunks and counted as
they come, and both the total and each entry's ratio of unpacked to packed size are bounded.
"""
from __future__ import annotations

import io
import re
import stat
import zipfile

import engine
from design.errors import DesignError
from design.files import MAX_FILES

MAX_ZIP_BYTES = engine.MAX_PACKAGE_BYTES  # the upload itself
MAX_RATIO = 100  # text compresses ~5-10x; a bomb compresses by 1000x and more
RATIO_FLOOR = 64 * 1024  # tiny files may compress past any ratio (a file of one repeated byte)
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # the same revision exports to the same bytes


def read(data: bytes) -> dict[str, bytes]:
    """The files of a zipped package, refusing bombs, traversal, links and odd entries."""
    if len(data) > MAX_ZIP_BYTES:
        raise DesignError("too_large", f"the zip is larger than {MAX_ZIP_BYTES // 2**20} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as err:
        raise DesignError("bad_zip", f"not a zip file ({err})") from None
    if len(entries) > MAX_FILES:
        raise DesignError("too_many_files", f"the zip has more than {MAX_FILES} entries")
    files, total = {}, 0
    for entry in entries:
        name = _safe_name(entry)
        if entry.is_dir():
            continue
        if name in files:
            raise DesignError("duplicate_entry", "the zip holds this name twice", name)
        files[name] = _read_entry(archive, entry, name, MAX_ZIP_BYTES - total)
        total += len(files[name])
    return _without_top_folder(files)


def _safe_name(entry: zipfile.ZipInfo) -> str:
    name = entry.filename
    mode = entry.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise DesignError("symlink", "the zip holds a symbolic link", name)
    if entry.flag_bits & 0x1:
        raise DesignError("encrypted", "the zip entry is encrypted", name)
    parts = name.rstrip("/").split("/")
    if ("\\" in name or name.startswith("/") or _DRIVE.match(name) or "\0" in name
            or any(part in ("", ".", "..") for part in parts)):
        raise DesignError("unsafe_path", "the name points outside the package (absolute, '..', '\\' or a drive)",
                          name)
    return name


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str, room: int) -> bytes:
    chunks, size = [], 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > room:
                    raise DesignError("too_large", f"the package unpacks to more than "
                                      f"{MAX_ZIP_BYTES // 2**20} MB (a zip bomb?)", name)
                if size > RATIO_FLOOR and size > MAX_RATIO * max(entry.compress_size, 1):
                    raise DesignError("zip_bomb", f"the entry unpacks to more than {MAX_RATIO} times its "
                                      "packed size (a zip bomb?)", name)
                chunks.append(chunk)
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError) as err:
        raise DesignError("bad_zip", f"cannot unpack the entry ({err})", name) from None
    return b"".join(chunks)


def _without_top_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    """``depression_icbt/program.json`` as ``program.json``: zipping a folder often adds its name."""
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and all("/" in name for name in files) and not tops & {"forms", "texts", "media", "scenarios"}:
        return {name.split("/", 1)[1]: data for name, data in files.items()}
    return files


def write(files: dict[str, bytes]) -> bytes:
    """The package as a zip of the folder layout, names sorted, times fixed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()
