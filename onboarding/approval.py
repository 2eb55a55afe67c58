"""What national management's approval creates (R11): the care provider (unless a region already
on the platform applied), its units, its publisher units, and the first care provider
administrator – registered through the same path as any staff member an administrator adds – with
the vardgivaradmin grant from the approver. Every creation writes its security event
(access/directory). Everything is checked again first, so a refusal writes nothing; the caller's
commit makes it one transaction."""
from __future__ import annotations

from access import directory, security_log
from access.models import CareProvider, Staff
from onboarding import application as checks
from onboarding.kinds import KINDS
from onboarding.models import OnboardingApplication


def create_organisation(found: OnboardingApplication, approver_id: str) -> CareProvider:
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
    return provider


def _first_administrator(person: dict, approver_id: str) -> Staff:
    existing = directory.staff_by_hsa_id(person["hsa_id"])
    if existing is not None:
        return existing
    given, _, family = person["name"].rpartition(" ")
    return directory.register_staff(person["hsa_id"], given or family, family, person["email"], approver_id)
