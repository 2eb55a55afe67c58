"""Who is acting. The engine takes this as an argument; it never reads request globals."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    """An acting person or the system, with the roles they hold per unit right now.

    ``grants`` holds (role, unit_id) pairs; unit_id None means a platform-wide grant.
    The caller builds it per request from active assignments; it is never cached.
    """

    id: str
    grants: frozenset = field(default_factory=frozenset)
    is_system: bool = False

    def may_act_as(self, role: str, unit_id: str | None) -> bool:
        if self.is_system:
            return True
        return (role, unit_id) in self.grants or (role, None) in self.grants


SYSTEM = Actor(id="system", is_system=True)
