"""The connection form's posted fields in the shape onboarding.application checks, and back."""
from __future__ import annotations

from onboarding.kinds import AGREEMENTS, R17_ROLES

UNIT_ROWS = 3
PUBLISHER_ROWS = 2


def from_post(posted) -> dict:
    def value(name: str) -> str:
        return (posted.get(name) or "").strip()
    return {
        "kind": value("kind"), "organisation_name": value("organisation_name"),
        "provider_hsa_id": value("provider_hsa_id"), "region_provider_id": value("region_provider_id"),
        "units": [{"hsa_id": value(f"units.{i}.hsa_id"), "name": value(f"units.{i}.name")} for i in range(UNIT_ROWS)],
        "publisher_units": [{"hsa_id": value(f"publisher_units.{i}.hsa_id"), "name": value(f"publisher_units.{i}.name")}
                            for i in range(PUBLISHER_ROWS)],
        "persons": {role: {key: value(f"persons.{role}.{key}") for key in ("name", "email", "phone", "hsa_id")}
                    for role in R17_ROLES},
        "agreements": {name: value(f"agreements.{name}") for name in AGREEMENTS},
    }


def flat(application) -> dict:
    """A stored application as the form's field values (the completion task starts from them)."""
    values = {"kind": application.kind, "organisation_name": application.organisation_name,
              "provider_hsa_id": application.provider_hsa_id,
              "region_provider_id": application.region_provider_id or ""}
    details = application.details
    for field in ("units", "publisher_units"):
        for i, row in enumerate(details.get(field) or []):
            values[f"{field}.{i}.hsa_id"], values[f"{field}.{i}.name"] = row["hsa_id"], row["name"]
    for role, person in (details.get("persons") or {}).items():
        for key, text in person.items():
            values[f"persons.{role}.{key}"] = text
    for name, signed in (details.get("agreements") or {}).items():
        values[f"agreements.{name}"] = signed
    return values
