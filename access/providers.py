"""Authentication providers, chosen by configuration so a SAML or OIDC identity provider can
replace the built-in ones without touching the screens.

Staff: ``VARDFLODE_STAFF_AUTH`` (default ``password_totp``: Argon2id password plus TOTP, standing
in for SITHS). Residents: ``VARDFLODE_RESIDENT_EID`` (``development`` offers test identities to
pick; production refuses to start with it).
"""
from __future__ import annotations

from sqlalchemy import func, or_, select, update

from engine.db import db
from access import totp
from access.models import Resident, Staff
from access.secrets_hashing import verify_secret


class ConfigurationError(RuntimeError):
    pass


class PasswordTotpProvider:
    """Something you know and something you have: the method the design tool accepts (R8)."""

    method = "password_totp"

    def account_for(self, identifier: str) -> Staff | None:
        """The staff member an HSA-id or e-mail address names, whatever its letter case."""
        identifier = (identifier or "").strip()
        if not identifier:
            return None
        return db.session.scalar(select(Staff).where(or_(Staff.hsa_id == identifier.upper(),
                                                         func.lower(Staff.email) == identifier.lower())))

    def password_matches(self, staff: Staff | None, password: str) -> bool:
        """Whether the password is the active staff member's (hashing work is spent either way)."""
        ok = verify_secret(staff.password_hash if staff else None, password or "")
        return bool(ok and staff.active)

    def check_password(self, identifier: str, password: str) -> Staff | None:
        staff = self.account_for(identifier)
        return staff if self.password_matches(staff, password) else None

    def check_second_factor(self, staff: Staff, code: str) -> bool:
        if not staff.totp_secret:
            return False
        step = totp.matching_step(staff.totp_secret, code, staff.totp_last_step)
        if step is None:
            return False
        # The same code (time step) is never accepted twice, not even by two requests at once: one
        # conditional update decides, in its own short transaction (like the rate limits), so the
        # step stays used whatever the rest of the request does and no request lock is held.
        table = Staff.__table__
        with db.engine.begin() as conn:
            moved = conn.execute(update(table).where(table.c.id == staff.id, table.c.totp_last_step < step)
                                 .values(totp_last_step=step))
        return moved.rowcount == 1


class DevelopmentEidProvider:
    """Pick a test identity instead of BankID. Never allowed in production."""

    method = "dev_eid"
    development_only = True

    def identities(self) -> list[Resident]:
        return list(db.session.scalars(select(Resident).order_by(Resident.family_name).limit(50)))

    def resident_for(self, resident_id: str) -> Resident | None:
        return db.session.get(Resident, resident_id)


STAFF_PROVIDERS = {"password_totp": PasswordTotpProvider}
RESIDENT_PROVIDERS = {"development": DevelopmentEidProvider}


def configure(config: dict) -> tuple[object, object]:
    staff_name = config.get("STAFF_AUTH", "password_totp")
    resident_name = config.get("RESIDENT_EID", "development")
    if staff_name not in STAFF_PROVIDERS:
        raise ConfigurationError(f"VARDFLODE_STAFF_AUTH={staff_name!r} is not available; "
                                 f"choose one of {sorted(STAFF_PROVIDERS)}")
    if resident_name not in RESIDENT_PROVIDERS:
        raise ConfigurationError(f"VARDFLODE_RESIDENT_EID={resident_name!r} is not available; "
                                 f"choose one of {sorted(RESIDENT_PROVIDERS)}")
    resident = RESIDENT_PROVIDERS[resident_name]()
    if config.get("ENV_NAME") == "production" and getattr(resident, "development_only", False):
        raise ConfigurationError("production refuses to start with a development e-ID provider enabled")
    return STAFF_PROVIDERS[staff_name](), resident
