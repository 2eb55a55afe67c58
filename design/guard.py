"""Who may touch a publisher unit's drafts: a designer of that publisher unit, signed in strongly
enough for the design tool (access.policy). Checked in every operation, not in the screens, so a
command or a future API cannot go round it."""
from __future__ import annotations

from access import security_log
from access.policy import may_use_design_tool
from design.errors import DesignForbidden

ROLE = "designer"


def units_of(principal) -> set[str]:
    """The publisher units whose programs this principal designs."""
    return principal.scopes(ROLE, "publisher_unit") if may_use_design_tool(principal) else set()


def require(principal, publisher_unit_id: str, action: str, subject: str | None = None) -> None:
    if publisher_unit_id in units_of(principal):
        return
    security_log.event("design_refused", "denied", actor_type=getattr(principal, "kind", None),
                       actor_id=getattr(principal, "id", None), subject=subject or publisher_unit_id,
                       detail=f"{action} on publisher unit {publisher_unit_id}")
    raise DesignForbidden()


def require_own_version(principal, publisher_unit_id: str, version_unit_id: str, version_hash: str) -> None:
    """Only a version of a program the publisher unit itself published may be copied into its
    drafts: another unit's program is theirs to change, even when it is in the catalogue."""
    if version_unit_id == publisher_unit_id:
        return
    security_log.event("design_refused", "denied", actor_type=getattr(principal, "kind", None),
                       actor_id=getattr(principal, "id", None), subject=version_hash,
                       detail=f"copy of a version of publisher unit {version_unit_id} into {publisher_unit_id}")
    raise DesignForbidden("the version belongs to a program of another publisher unit; only your own "
                          "unit's programs may be copied", code="another_units_version")
