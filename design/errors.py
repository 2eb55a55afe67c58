"""Refusals from the draft store. The message is English for logs and callers; ``code`` lets a
screen answer in the visitor's language, ``file`` names the file at fault when there is one, and
``detail`` is what the screen shows after its own sentence (names, numbers: no language of its own)."""
from __future__ import annotations

from datetime import datetime


class DesignError(ValueError):
    def __init__(self, code: str, message: str, file: str | None = None, detail: str | None = None):
        super().__init__(f"{file}: {message}" if file else message)
        self.code, self.file, self.detail = code, file, detail


class DesignForbidden(DesignError):
    """The principal is no designer of the program's publisher unit."""

    def __init__(self, message: str = "you are not a designer of this program's publisher unit",
                 code: str = "forbidden"):
        super().__init__(code, message)


class StaleRevision(DesignError):
    """A save based on a revision that is no longer the head: someone else saved in between. The
    screen answers 409 with who saved what when, and keeps the designer's own content."""

    def __init__(self, head_id: str, author: str, saved_at: datetime, message: str | None):
        super().__init__("stale_revision", f"{author} saved revision {head_id[:12]} at {saved_at:%Y-%m-%d %H:%M} UTC"
                         + (f" ({message})" if message else "") + "; your changes were not saved over it")
        self.head_id, self.author, self.saved_at, self.saved_message = head_id, author, saved_at, message
