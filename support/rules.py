"""Who sees and handles a support case (R63–R65, R69). Three levels, each a role on a scope:

- **Local support** of a region is the care provider's Vårdgivaradministratör (role
  ``vardgivaradmin`` granted on the care provider). R64 has local support established when the
  region connects; the region's administrator is the role R17 fills by then, so no new role is
  needed. They see every case raised from a unit of their care provider, and nobody else's.
- **The content owner** (R65) is the publisher unit that published the program: its ``utgivare``
  and ``designer`` see and answer the content cases about its programs.
- **National support** is national management (``nationell_forvaltning``): it sees every case and
  handles what is passed to it and every error (R69).

The requester always sees their own case."""
from __future__ import annotations

from sqlalchemy import false, or_

from support.models import SupportCase

LOCAL, PUBLISHER, NATIONAL = "local_handling", "publisher_handling", "national_handling"
HANDLING_STEPS = (LOCAL, PUBLISHER, NATIONAL)
CONTENT_ROLES = ("utgivare", "designer")


def _staff(principal) -> bool:
    return principal is not None and principal.kind == "staff" and not principal.acting_for


def may_raise(principal) -> bool:
    """Every member of staff signed in as themself (not acting as a test person)."""
    return _staff(principal)


def is_national(principal) -> bool:
    return _staff(principal) and principal.has("nationell_forvaltning")


def local_regions(principal) -> set[str]:
    return principal.scopes("vardgivaradmin", "care_provider") if _staff(principal) else set()


def content_units(principal) -> set[str]:
    if not _staff(principal):
        return set()
    return set().union(*(principal.scopes(role, "publisher_unit") for role in CONTENT_ROLES))


def is_handler(principal) -> bool:
    return is_national(principal) or bool(local_regions(principal) or content_units(principal))


def may_handle_step(principal, case: SupportCase, step: str) -> bool:
    """Whether ``principal`` may complete ``step`` of ``case``."""
    if step == LOCAL:
        return case.care_provider_id is not None and case.care_provider_id in local_regions(principal)
    if step == PUBLISHER:
        return case.publisher_unit_id is not None and case.publisher_unit_id in content_units(principal)
    if step == NATIONAL:
        return is_national(principal)
    return False


def may_see_as_handler(principal, case: SupportCase) -> bool:
    return is_national(principal) or any(may_handle_step(principal, case, s) for s in (LOCAL, PUBLISHER))


def may_see(principal, case: SupportCase) -> bool:
    return _staff(principal) and (case.requester_id == principal.id or may_see_as_handler(principal, case))


def handler_filter(principal):
    """The SQL condition for the cases ``principal`` sees as a handler (national: every case)."""
    if is_national(principal):
        return SupportCase.id.isnot(None)
    clauses = []
    regions, units = local_regions(principal), content_units(principal)
    if regions:
        clauses.append(SupportCase.care_provider_id.in_(sorted(regions)))
    if units:
        clauses.append(SupportCase.publisher_unit_id.in_(sorted(units)))
    return or_(*clauses) if clauses else false()
