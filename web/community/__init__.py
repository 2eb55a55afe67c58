"""The community screens (R71–R74): the platform's news for all staff with the unread count in the
header, the designers' network, and training interest and implementation-support requests with
national management's list of them."""
from __future__ import annotations

# The modules with a blueprint: create_app registers each (web/__init__.py).
SCREENS = ("news", "network", "requests")
