"""People and files for the incident tests: a clinician on a unit of a region, the region's
administrator, national management and a designer, as stored staff with principals built the way a
request builds them; and evidence files that are, or pretend to be, pictures."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from access import directory
from access.models import RoleGrant
from access.principal import Principal
from engine.db import db
from incidents import reports

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
EXE = b"MZ\x90\x00" + b"\x00" * 40


@dataclass
class People:
    clinician: Principal
    admin: Principal
    other_admin: Principal
    national: Principal
    designer: Principal


def _principal(staff, grants, assignment=None) -> Principal:
    return Principal(kind="staff", id=staff.id, display_name=staff.display_name, auth_method="password_totp",
                     session_hash="h", assignment=assignment, grants=grants, roles={g.role for g in grants})


def people() -> People:
    region = directory.create_care_provider("SE2321000016-R001", "Region Nord")
    other_region = directory.create_care_provider("SE2321000016-R002", "Region Syd")
    unit = directory.create_unit(region, "SE2321000016-U001", "Psykiatri Nord")
    clinician = directory.create_staff("SE2321000016-C001", "Cecilia", "Klinik", email="cecilia@example.org")
    admin = directory.create_staff("SE2321000016-A001", "Adam", "Admin", email="adam@example.org")
    other = directory.create_staff("SE2321000016-A002", "Olle", "Annan", email="olle@example.org")
    national = directory.create_staff("SE2321000016-N001", "Nina", "Nationell", email="nina@example.org")
    designer = directory.create_staff("SE2321000016-D001", "Dana", "Designer", email="dana@example.org")
    assignment = directory.add_assignment(clinician, unit)
    db.session.add(RoleGrant(staff_id=national.id, role="nationell_forvaltning", scope_type="platform",
                             scope_id=None, granted_by="system"))
    db.session.flush()
    assignment.unit = unit
    return People(
        clinician=_principal(clinician, [RoleGrant(staff_id=clinician.id, role="behandlare", scope_type="unit",
                                                   scope_id=unit.id)], assignment),
        admin=_principal(admin, [RoleGrant(staff_id=admin.id, role="vardgivaradmin", scope_type="care_provider",
                                           scope_id=region.id)]),
        other_admin=_principal(other, [RoleGrant(staff_id=other.id, role="vardgivaradmin",
                                                 scope_type="care_provider", scope_id=other_region.id)]),
        national=_principal(national, [RoleGrant(staff_id=national.id, role="nationell_forvaltning",
                                                 scope_type="platform", scope_id=None)]),
        designer=_principal(designer, [RoleGrant(staff_id=designer.id, role="designer",
                                                 scope_type="publisher_unit", scope_id="p1")]),
    )


def draft(consequence="serious_deterioration", **changes) -> reports.Draft:
    values = dict(product="stod_och_behandling", page_url="/klinik/uppgifter?sida=2", platform_version="0.16.0",
                  observed_at=datetime(2026, 1, 5, 7, 30, tzinfo=timezone.utc),
                  what_happened="Påminnelsen om skattningen visades inte efter att klockan ställts om.",
                  consequence=consequence)
    values.update(changes)
    return reports.Draft(**values)
