"""What national management's approval creates (R11): the care provider (unless a region already
on the platform applied), its units, its publisher units, and the first care provider
administrator – registered through the same path as any staff member an administrator adds – with
the vardgivaradmin grant from the approver, and an enrolment link (access.enrolment) so that
administrator can choose a password and connect TOTP. Every creation writes its security event
(access/directory). Everything is checked again first, so a refusal writes nothing; the caller's
commit makes it one transaction."""
from __future__ import annotations

from access import directory, enrolment, security_log
from access.models import CareProvider, Staff
from onboarding import application as checks
from onboarding.kinds import KINDS
from onboarding.models import OnboardingApplication


def create_organisation(found: OnboardingApplication, approver_id: str, *, base_url: str | None = None,
                        request_id: str | None = None, queued: list[str] | None = None) -> CareProvider:
    """Create it all; with ``base_url`` (the platform's address, from the web) also issue the first
    administrator's enrolment link, adding its outbox ids to ``queued`` for sending after commit."""
    kind = KINDS[found.kind]
    details = found.details
    problems = checks.hsa_clashes({**details, "provider_hsa_id": found.provider_hsa_id}, kind)
    if problems:
        raise checks.ApplicationInvalid(problems)
    provider = checks.existing_provider(found.provider_hsa_id)
    if provider is None:
        provider = directory.create_care_provider(found.provider_hsa_id, found.organisation_name, kind.provider_kind)
    units = [directory.create_unit(provider, row["hsa_id"], row["name"]) for row in details["units"]]
    for row in details["publisher_units"]:
        directory.create_publisher_unit(row["hsa_id"], row["name"], training=kind.training)
    admin = _first_administrator(details["persons"]["vardgivaradmin"], approver_id)
    directory.grant_role(admin, "vardgivaradmin", "care_provider", provider.id, granted_by=approver_id)
    if units:
        directory.add_assignment(admin, units[0], "administration", actor_id=approver_id)
    security_log.event("onboarding_approved", "ok", actor_type="staff", actor_id=approver_id, subject=found.id,
                       detail=f"{found.kind}: care provider {provider.id}")
    if base_url and not enrolment.has_credentials(admin) and admin.email:
        _token, ids = enrolment.issue(admin, approver_id, request_id, base_url=base_url)
        if queued is not None:
            queued.extend(ids)
    return provider


def _first_administrator(person: dict, approver_id: str) -> Staff:
    existing = directory.staff_by_hsa_id(person["hsa_id"])
    if existing is not None:
        return existing
    given, _, family = person["name"].rpartition(" ")
    return directory.register_staff(person["hsa_id"], given or family, family, person["email"], approver_id)
