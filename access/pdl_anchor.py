"""Signed checkpoints of the PDL chain, kept outside the database.

The keyed chain (access/pdl.py) stops anyone without the key from rewriting an entry, but not from
removing the newest entries and moving the chain head back: what is left is still a valid chain.
A checkpoint is the anchor against that: the head's sequence number and hash at a moment, signed
with the PDL key and appended to a file in VARDFLODE_PDL_ANCHOR_DIR, where the database's user
cannot write. ``pdl.verify`` then demands that every checkpointed entry is still in the chain with
the same hash; whatever is removed after the last checkpoint is not detected.

A checkpoint also carries ``keyed_from``: the first sequence number written under the key. Entries
from there on must be keyed, so turning keyed entries into old unkeyed ones (whose hash anyone can
compute) is detected too.

A *retention* checkpoint (``kind="retention"``) marks where the log begins once entries past the
retention period are removed from its start (``pdl.remove_past_retention``): the last removed
entry's sequence number and hash, so the chain is verified from the next entry on, and removing
anything else from the start is still found. Head checkpoints are signed as before, without a kind.

The file is JSON lines, one checkpoint each, appended with one write: several schedulers may
append side by side, and a reader never sees half a line that matters (a torn last line fails
its signature and is reported).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

FILE_NAME = "pdl-checkpoints.jsonl"
_PURPOSE = b"vardflode pdl checkpoint\n"
HEAD, RETENTION = "head", "retention"  # a checkpoint's signature can never pass for an entry's hash


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # the last entry's sequence number when it was taken (0: an empty log)
    hash: str  # that entry's hash
    at: str  # when, ISO 8601 UTC
    keyed_from: int  # entries from this sequence number on are keyed
    kind: str = HEAD  # HEAD: the chain's head then; RETENTION: the last entry removed from its start


class ForgedCheckpoint(ValueError):
    """A line of the checkpoint file whose signature does not hold: forged, edited or torn."""

    def __init__(self, line_number: int):
        super().__init__(f"checkpoint line {line_number} is forged or damaged (its signature does not hold)")
        self.line_number = line_number


def path(anchor_dir: Path) -> Path:
    return Path(anchor_dir) / FILE_NAME


def _fields(checkpoint: Checkpoint) -> dict:
    """What is signed and written: a head checkpoint without its kind, as before kinds existed."""
    fields = asdict(checkpoint)
    if checkpoint.kind == HEAD:
        del fields["kind"]
    return fields


def signature(key: bytes, checkpoint: Checkpoint) -> str:
    message = json.dumps(_fields(checkpoint), sort_keys=True, separators=(",", ":"))
    return hmac.new(key, _PURPOSE + message.encode("utf-8"), hashlib.sha256).hexdigest()


def append(key: bytes, anchor_dir: Path, checkpoint: Checkpoint) -> None:
    """Append one signed line and flush it to disk before returning."""
    anchor_dir = Path(anchor_dir)
    anchor_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    line = json.dumps({**_fields(checkpoint), "mac": signature(key, checkpoint)}, sort_keys=True) + "\n"
    fd = os.open(path(anchor_dir), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_all(key: bytes, anchor_dir: Path) -> list[Checkpoint]:
    """Every checkpoint, oldest first; ForgedCheckpoint on the first line that fails its signature."""
    file = path(anchor_dir)
    if not file.exists():
        return []
    with file.open(encoding="utf-8") as lines:
        return [_parse(key, line, number) for number, line in enumerate(lines, 1) if line.strip()]


def read_first(key: bytes, anchor_dir: Path) -> Checkpoint | None:
    """The oldest checkpoint, or None when there is none or it does not hold (verify reports that)."""
    file = path(anchor_dir)
    if not file.exists():
        return None
    with file.open(encoding="utf-8") as lines:
        first = lines.readline()
    try:
        return _parse(key, first, 1) if first.strip() else None
    except ForgedCheckpoint:
        return None


def _parse(key: bytes, line: str, number: int) -> Checkpoint:
    try:
        fields = json.loads(line)
        mac = fields.pop("mac")
        checkpoint = Checkpoint(seq=int(fields["seq"]), hash=str(fields["hash"]), at=str(fields["at"]),
                                keyed_from=int(fields["keyed_from"]), kind=str(fields.get("kind", HEAD)))
        if checkpoint.kind not in (HEAD, RETENTION):
            raise ValueError(checkpoint.kind)
        datetime.fromisoformat(checkpoint.at)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ForgedCheckpoint(number) from None
    if not hmac.compare_digest(str(mac), signature(key, checkpoint)):
        raise ForgedCheckpoint(number)
    return checkpoint
