"""Staff's rights outside residents' data: the design tool, incident reports, the designers'
network, the platform's news and the training and implementation-support requests. Decisions
about a resident's data, and their PDL rows, are access/policy.py's."""
from __future__ import annotations

from access.principal import Principal

DESIGN_ROLES = ("designer", "utgivare")
# R8: the design tool needs strong sign-in; an SMS one-time code is not enough.
DESIGN_TOOL_METHODS = frozenset({"password_totp", "siths", "oidc_mfa", "saml_mfa"})


def may_use_design_tool(principal: Principal | None) -> bool:
    return (principal is not None and principal.kind == "staff"
            and principal.auth_method in DESIGN_TOOL_METHODS
            and any(principal.has(r) for r in DESIGN_ROLES))


def may_report_incident(principal: Principal | None) -> bool:
    """Every signed-in member of staff may report an incident (R57), designers and publishers too;
    not a designer acting as a test person, whose reports would be about a test."""
    return principal is not None and principal.kind == "staff" and not principal.acting_for


def may_handle_incidents(principal: Principal | None) -> bool:
    """The manufacturer's side (national management) handles every case and opens its evidence."""
    return principal is not None and principal.kind == "staff" and principal.has("nationell_forvaltning")


def may_record_agency_report(principal: Principal | None, reporter_id: str,
                             reporter_care_provider_id: str | None) -> bool:
    """The reporter, or an administrator of the care provider they reported from, records when the
    report to Läkemedelsverket was sent."""
    if principal is None or principal.kind != "staff":
        return False
    if principal.id == reporter_id:
        return True
    return (reporter_care_provider_id is not None and principal.has("vardgivaradmin")
            and reporter_care_provider_id in principal.scopes("vardgivaradmin", "care_provider"))


def network_units(principal: Principal | None) -> set[str]:
    """The publisher units whose part of the designers' network (R71) the principal takes part in:
    those they hold designer or utgivare on (grants of a deactivated publisher unit no longer count)."""
    if principal is None or principal.kind != "staff" or principal.acting_for or principal.is_test:
        return set()
    return {scope for role in DESIGN_ROLES for scope in principal.scopes(role, "publisher_unit")}


def may_use_network(principal: Principal | None) -> bool:
    """Designers and publishers of a publisher unit ask and answer in the network, nationally and on
    their own units; nobody else reads it."""
    return bool(network_units(principal))


def may_read_news(principal: Principal | None) -> bool:
    """All staff read the platform's news (R74); not a designer acting as a test person."""
    return principal is not None and principal.kind == "staff" and not principal.acting_for


def may_write_news(principal: Principal | None) -> bool:
    """Only national management writes news and release notes."""
    return may_read_news(principal) and principal.has("nationell_forvaltning")


def request_care_provider(principal: Principal | None) -> str | None:
    """The care provider a member of staff registers training interest or asks for implementation
    support for (R72, R73): their care provider administrator grant, else their assignment's."""
    if principal is None or principal.kind != "staff" or principal.acting_for or principal.is_test:
        return None
    administered = sorted(principal.scopes("vardgivaradmin", "care_provider"))
    return administered[0] if administered else principal.care_provider_id


def may_handle_community_requests(principal: Principal | None) -> bool:
    """National management handles training interest and implementation-support requests."""
    return may_write_news(principal)
