"""A stored version is run only while it is what was published.

A version is addressed by the hash of its files, and everything the engine runs (the compiled
spec, the lanes' roles, the forms and names of tasks) is derived from those files when it is
stored. Someone with write access to the database could still change a risk gateway in the
compiled spec, or a file, without changing the address. So before a process first uses a version,
the files are hashed again and the logic is compiled again from them; anything that differs
refuses the version (``VersionRefused``): the instance goes to incident and the caller writes a
security event. Checked once per version per process (the parsed version is cached after), so it
costs one parse, about as much as the first load already did.
"""
from __future__ import annotations

from engine import package
from engine.errors import VersionRefused


def verify(row) -> None:
    """Raise VersionRefused unless ``row`` (a ProgramVersion) still matches its content hash."""
    files = package.restored_files(row.files)
    if package.content_hash(files) != row.content_hash:
        raise VersionRefused(row.content_hash, "its files do not match its content hash")
    try:
        rebuilt = package.rebuild(files)
    except Exception:  # noqa: BLE001 - files that no longer parse were changed too
        raise VersionRefused(row.content_hash, "its files no longer parse") from None
    derived = {"spec": (rebuilt.spec_json, row.spec_json), "main process": (rebuilt.main_process, row.main_process),
               "task roles": (rebuilt.task_roles, row.task_roles), "task forms": (rebuilt.task_forms, row.task_forms),
               "task names": (rebuilt.task_names, row.task_names)}
    changed = [what for what, (expected, stored) in derived.items() if expected != stored]
    if changed:
        raise VersionRefused(row.content_hash, f"what is stored as its {', '.join(changed)} differs from what its files compile to")
