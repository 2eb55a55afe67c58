"""What both sides of a conversation read when a message is refused."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

ERRORS = {"empty": _l("Write a message first."), "too_long": _l("The message is too long (at most 5000 characters).")}
