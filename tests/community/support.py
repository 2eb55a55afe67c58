"""People for the community tests, as stored staff with principals built the way a request builds
them: designers on two publisher units, a publisher, a clinician, two regions' administrators and
national management."""
from __future__ import annotations

from dataclasses import dataclass

from access import directory
from access.models import RoleGrant
from access.principal import Principal
from engine.db import db


@dataclass
class People:
    designer: Principal  # on Nord's publisher unit
    other_designer: Principal  # on Syd's publisher unit
    publisher: Principal  # utgivare on Nord's publisher unit
    clinician: Principal  # on a unit of Region Nord
    nord_admin: Principal
    syd_admin: Principal
    national: Principal
    nord: object
    syd: object
    nord_pu: object
    syd_pu: object


def principal(staff, grants, assignment=None) -> Principal:
    return Principal(kind="staff", id=staff.id, display_name=staff.display_name, auth_method="password_totp",
                     session_hash="h", assignment=assignment, grants=grants, roles={g.role for g in grants})


def _grant(staff, role, scope_type, scope_id):
    grant = RoleGrant(staff_id=staff.id, role=role, scope_type=scope_type, scope_id=scope_id, granted_by="test")
    db.session.add(grant)
    return grant


def people() -> People:
    nord = directory.create_care_provider("SE2321000016-R001", "Region Nord")
    syd = directory.create_care_provider("SE2321000016-R002", "Region Syd")
    unit = directory.create_unit(nord, "SE2321000016-U001", "Psykiatri Nord")
    nord_pu = directory.create_publisher_unit("SE2321000016-P001", "Utgivare Nord")
    syd_pu = directory.create_publisher_unit("SE2321000016-P002", "Utgivare Syd")
    made = {key: directory.create_staff(f"SE2321000016-X{n:03}", given, "Testsson", email=f"{key}@example.org")
            for n, (key, given) in enumerate([("designer", "Dora"), ("other", "Olof"), ("publisher", "Ulf"),
                                              ("clinician", "Cecilia"), ("nord_admin", "Nils"),
                                              ("syd_admin", "Sara"), ("national", "Nina")])}
    db.session.flush()
    assignment = directory.add_assignment(made["clinician"], unit)
    assignment.unit = unit
    grants = {
        "designer": [_grant(made["designer"], "designer", "publisher_unit", nord_pu.id)],
        "other": [_grant(made["other"], "designer", "publisher_unit", syd_pu.id)],
        "publisher": [_grant(made["publisher"], "utgivare", "publisher_unit", nord_pu.id)],
        "clinician": [_grant(made["clinician"], "behandlare", "unit", unit.id)],
        "nord_admin": [_grant(made["nord_admin"], "vardgivaradmin", "care_provider", nord.id)],
        "syd_admin": [_grant(made["syd_admin"], "vardgivaradmin", "care_provider", syd.id)],
        "national": [_grant(made["national"], "nationell_forvaltning", "platform", None)],
    }
    db.session.flush()
    return People(
        designer=principal(made["designer"], grants["designer"]),
        other_designer=principal(made["other"], grants["other"]),
        publisher=principal(made["publisher"], grants["publisher"]),
        clinician=principal(made["clinician"], grants["clinician"], assignment),
        nord_admin=principal(made["nord_admin"], grants["nord_admin"]),
        syd_admin=principal(made["syd_admin"], grants["syd_admin"]),
        national=principal(made["national"], grants["national"]),
        nord=nord, syd=syd, nord_pu=nord_pu, syd_pu=syd_pu,
    )
