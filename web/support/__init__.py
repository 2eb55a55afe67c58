"""Support screens (R63–R69, R84): the case form behind the shell's "Contact support" link, the
requester's own cases with their stage and answer, and the handlers' cases (local support, the
content's publisher unit, national support)."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("requesting", "handling")
