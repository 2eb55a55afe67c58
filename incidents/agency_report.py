"""The report to Läkemedelsverket (R59, R62): the fields of the authority's form for an incident with
a national medical information system (LVFS 2014:7), filled from the case, for the reporter to print
and send. It exists as soon as the case does; nothing waits for the manufacturer (R60).

The fields carry keys and values only; the screens give them their labels in the reader's language.
The description is the reporter's own words; the form warned them against writing patient data."""
from __future__ import annotations

from dataclasses import dataclass

from incidents.models import Incident

MANUFACTURER = "Inera AB (förvaltningen på 1177 Invånartjänster)"
SYSTEM_KIND = "nationellt medicinskt informationssystem (LVFS 2014:7)"
PRODUCT_NAMES = {"stod_och_behandling": "Stöd och behandling", "designverktyget": "Designverktyget"}
# The form's sections, in its order, and the keys of the fields each holds.
SECTIONS = (
    ("reporter", ("reporter_name", "reporter_hsa_id", "reporter_email", "care_provider")),
    ("product", ("product_name", "manufacturer", "system_kind", "platform_version")),
    ("event", ("observed_at", "page_url", "what_happened", "consequence")),
    ("reporting", ("reported_at", "manufacturer_informed_at", "case_reference")),
)


@dataclass(frozen=True)
class AgencyReport:
    case_reference: str
    fields: dict  # field key -> value, every key of SECTIONS
    guidance_url: str | None

    def sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return [(section, [(key, self.fields[key]) for key in keys]) for section, keys in SECTIONS]


def for_incident(incident: Incident, reporter, care_provider_name: str | None,
                 guidance_url: str | None) -> AgencyReport:
    """The document for a serious or potentially serious case; ``reporter`` is the Staff row."""
    reference = incident.id[:12].upper()
    fields = {
        "reporter_name": reporter.display_name, "reporter_hsa_id": reporter.hsa_id,
        "reporter_email": reporter.email or "", "care_provider": care_provider_name or "",
        "product_name": PRODUCT_NAMES[incident.product], "manufacturer": MANUFACTURER, "system_kind": SYSTEM_KIND,
        "platform_version": incident.platform_version, "observed_at": incident.observed_at.isoformat(timespec="minutes"),
        "page_url": incident.page_url, "what_happened": incident.what_happened, "consequence": incident.consequence,
        # R59: the manufacturer gets the case the moment it is reported, the same time as this document.
        "reported_at": incident.reported_at.isoformat(timespec="minutes"),
        "manufacturer_informed_at": incident.reported_at.isoformat(timespec="minutes"),
        "case_reference": reference,
    }
    return AgencyReport(reference, fields, guidance_url)
