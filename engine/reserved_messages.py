"""The message names the platform sends itself (engine/platform_events.py delivers them). Kept
apart, with no imports, because validation (rules.py) needs the names and not the delivery."""
from __future__ import annotations

import re

RESIDENT_MESSAGE = "vardflode.resident_message"
ACTION_PREFIX = "vardflode.action."
_ACTION_NAME = re.compile(r"[a-z0-9_]{1,60}")


def action_of(message_name: str) -> str | None:
    """``vardflode.action.call_done`` -> ``call_done``; None for anything else."""
    if not message_name.startswith(ACTION_PREFIX):
        return None
    action = message_name[len(ACTION_PREFIX):]
    return action if is_action_name(action) else None


def is_action_name(action: str) -> bool:
    return bool(_ACTION_NAME.fullmatch(action or ""))


def is_platform_message(name: str) -> bool:
    """A message name the platform can send: the resident's message, or a well-formed action."""
    return name == RESIDENT_MESSAGE or action_of(name) is not None
