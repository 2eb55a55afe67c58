"""The four connection forms (R36) and what each must name: the R17 roles with a named person,
the agreements that must be recorded (R31, R37), and what an approval creates."""
from __future__ import annotations

from dataclasses import dataclass

# R17: before connection a region has a named person in each of these roles.
R17_ROLES = ("projektledare", "kommunikator", "vardgivaradmin", "designer", "utgivare", "behandlare",
             "verksamhetsutvecklare")
KUNDAVTAL_2 = "kundavtal_2"
REGION_AGREEMENT = "region_agreement"  # the private provider's agreement with its region (R32, R37)
PUBA_2 = "personuppgiftsbitradesavtal_2"
AGREEMENTS = (KUNDAVTAL_2, REGION_AGREEMENT, PUBA_2)


@dataclass(frozen=True)
class Kind:
    id: str
    roles: tuple[str, ...]          # the R17 roles that need a named person
    agreements: tuple[str, ...]     # the agreements that must be recorded
    units: bool                     # care units are connected (Stöd och behandling)
    publisher_units: bool           # publisher units are connected (Designverktyget)
    training: bool = False          # the publisher units are training units (R26: never publish)
    new_provider_only: bool = True  # the care provider must be new to the platform
    provider_kind: str = "region"
    needs_region: bool = False      # a region connects it (R34)


KINDS = {
    "stod_och_behandling": Kind("stod_och_behandling", R17_ROLES, (KUNDAVTAL_2,), units=True,
                                publisher_units=False),
    "designverktyget": Kind("designverktyget", ("projektledare", "vardgivaradmin", "designer", "utgivare"),
                            (KUNDAVTAL_2,), units=False, publisher_units=True, new_provider_only=False),
    "utbildningsutgivarenhet": Kind("utbildningsutgivarenhet", ("projektledare", "vardgivaradmin", "designer"),
                                    (), units=False, publisher_units=True, training=True, new_provider_only=False),
    "privat_vardgivare": Kind("privat_vardgivare", ("projektledare", "kommunikator", "vardgivaradmin", "behandlare"),
                              (REGION_AGREEMENT, PUBA_2), units=True, publisher_units=False,
                              provider_kind="private", needs_region=True),
}
