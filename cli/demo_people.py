"""Demo organisations and people: two care providers, units (one closed), publisher units,
one member of staff per role with a password and a TOTP secret, and residents (one with a
protected identity, one child, and test residents for designers).

The TOTP secrets are derived from the HSA-id so the printed demo credentials stay the same
between runs; they are for the demo only.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from engine import clock
from access import directory
from access.secrets_hashing import hash_secret

DEMO_PASSWORD = "demo-Vardflode-2026"


@dataclass
class DemoOrg:
    providers: dict
    units: dict
    publishers: dict
    staff: dict  # key -> (Staff, role description)
    residents: dict


STAFF = [
    # key, HSA-id, given, family, role, scope kind, scope key
    ("behandlare", "SE2321000016-B001", "Bodil", "Behandlare", "behandlare", "unit", "nord"),
    ("invanaradmin", "SE2321000016-I001", "Ivar", "Invånaradmin", "invanaradmin", "unit", "nord"),
    ("behorighetsadmin", "SE2321000016-A001", "Berit", "Behörighet", "behorighetsadmin", "unit", "nord"),
    ("loggranskare", "SE2321000016-L001", "Lars", "Loggranskare", "loggranskare", "care_provider", "region"),
    ("vardgivaradmin", "SE2321000016-V001", "Vera", "Vårdgivaradmin", "vardgivaradmin", "care_provider", "region"),
    ("designer", "SE2321000016-D001", "Dora", "Designer", "designer", "publisher_unit", "national"),
    ("utgivare", "SE2321000016-U001", "Ulf", "Utgivare", "utgivare", "publisher_unit", "national"),
    ("nationell", "SE2321000016-N001", "Nina", "Nationell", "nationell_forvaltning", "platform", None),
    ("privat", "SE5565000001-B001", "Petra", "Privat", "behandlare", "unit", "privat"),
    ("syd", "SE2321000016-B002", "Sven", "Sydbehandlare", "behandlare", "unit", "syd"),
]

RESIDENTS = [
    # key, birth date, serial, given, family, protected, test
    ("anna", date(1985, 3, 14), "238", "Anna", "Andersson", False, False),
    ("bo", date(1979, 11, 2), "457", "Bo", "Berg", False, False),
    ("cecilia", date(1992, 6, 21), "664", "Cecilia", "Carlsson", True, False),
    ("david", date(2001, 1, 9), "873", "David", "Dahl", False, False),
    ("elsa", date(2014, 9, 30), "242", "Elsa", "Ek", False, False),  # a child
    ("fredrik", date(1990, 2, 2), "016", "Fredrik", "Fors", False, False),  # on the Syd unit
    ("testa", date(1980, 1, 1), "990", "Testa", "Testsson", False, True),
    ("hugo", date(1968, 8, 19), "335", "Hugo", "Holm", False, False),  # between modules in the demo
]


def totp_secret_for(hsa_id: str) -> str:
    return base64.b32encode(hashlib.sha256(f"vardflode-demo:{hsa_id}".encode()).digest()[:20]).decode()


def personnummer_for(birth: date, serial: str) -> str:
    """A personnummer with a correct check digit (Luhn over YYMMDDNNN)."""
    body = birth.strftime("%y%m%d") + serial
    total = 0
    for index, char in enumerate(body):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return birth.strftime("%Y%m%d") + serial + str((10 - total % 10) % 10)


def seed() -> DemoOrg:
    today = clock.local_today()
    region = directory.create_care_provider("SE2321000016-0001", "Region Demoland", "region")
    private = directory.create_care_provider("SE5565000001-0001", "Privat Psykologi AB", "private")
    units = {
        "nord": directory.create_unit(region, "SE2321000016-1001", "Psykiatrimottagning Nord"),
        "syd": directory.create_unit(region, "SE2321000016-1002", "Vårdcentral Syd"),
        "stangd": directory.create_unit(region, "SE2321000016-1003", "Stängd mottagning",
                                        valid_from=today - timedelta(days=400), valid_to=today - timedelta(days=1)),
        "privat": directory.create_unit(private, "SE5565000001-1001", "Privat KBT-mottagning"),
    }
    publishers = {
        "national": directory.create_publisher_unit("SE2321000016-P001", "Nationella programredaktionen"),
        "training": directory.create_publisher_unit("SE2321000016-P002", "Utbildningsredaktionen", training=True),
    }
    providers = {"region": region, "privat": private}
    password = hash_secret(DEMO_PASSWORD)
    staff = {}
    for key, hsa, given, family, role, scope_type, scope_key in STAFF:
        member = directory.create_staff(hsa, given, family, email=f"{key}@demo.vardflode.se",
                                        password_hash=password, totp_secret=totp_secret_for(hsa))
        scope = {"unit": units, "care_provider": providers, "publisher_unit": publishers}.get(scope_type, {})
        scope_id = scope[scope_key].id if scope_key else None
        home_unit = units[scope_key] if scope_type == "unit" else units["nord"] if scope_type == "care_provider" \
            and scope_key == "region" else None
        if home_unit is not None:
            directory.add_assignment(member, home_unit,
                                     purpose="administration" if role in ("behorighetsadmin", "vardgivaradmin",
                                                                          "loggranskare") else "vard_och_behandling")
        directory.grant_role(member, role, scope_type, scope_id, granted_by="demo-seed")
        staff[key] = member
    # Nina also leads national management: escalations (an onboarding nobody acted on) reach her.
    directory.grant_role(staff["nationell"], "forvaltningsledare", "platform", None, granted_by="demo-seed")
    residents = {}
    for key, birth, serial, given, family, protected, test in RESIDENTS:
        # Notifications in the demo go to the file transport; these addresses lead nowhere.
        email = None if test else f"{key}@demo.vardflode.se"
        residents[key] = directory.create_resident(personnummer_for(birth, serial), given, family,
                                                   protected_identity=protected, is_test=test, email=email)
    return DemoOrg(providers, units, publishers, staff, residents)
