"""A connection form checked before anything is written: every problem at once, each naming its
field, so the form can show them beside the fields. HSA-ids are well formed, unique within the
form and free on the platform (R38: a unit never shares its care provider's HSA-id); each role
the kind needs has a named person with contact details; the kind's agreements are recorded."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from access import directory
from access.models import CareProvider
from engine import clock
from engine.db import db
from onboarding.kinds import KINDS, Kind

MAX_NAME = 200
MAX_ORG_UNITS = 50
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}")
PHONE = re.compile(r"\+?[0-9 ()-]{6,20}")


@dataclass(frozen=True)
class Problem:
    field: str      # the form's field, e.g. "units.0.hsa_id" or "persons.vardgivaradmin.email"
    code: str       # for the screen to word in the visitor's language
    message: str    # English, for tests and logs (never personal data)


class ApplicationInvalid(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


def checked(form: dict) -> dict:
    """The form normalised (HSA-ids upper-cased, text trimmed), or ApplicationInvalid."""
    problems: list[Problem] = []
    kind = KINDS.get(_text(form.get("kind")))
    if kind is None:
        raise ApplicationInvalid([Problem("kind", "kind_unknown", "choose one of the four connection forms")])
    result = {"kind": kind.id, "organisation_name": _name(form, "organisation_name", problems)}
    result["provider_hsa_id"] = _hsa(form.get("provider_hsa_id"), "provider_hsa_id", problems)
    result["region_provider_id"] = _region(form, kind, problems)
    result["units"] = _org_units(form, "units", kind.units, problems)
    result["publisher_units"] = _org_units(form, "publisher_units", kind.publisher_units, problems)
    result["persons"] = _persons(form.get("persons") or {}, kind, problems)
    result["agreements"] = _agreements(form.get("agreements") or {}, kind, problems)
    problems += hsa_clashes(result, kind)
    if problems:
        raise ApplicationInvalid(problems)
    return result


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _name(form: dict, field: str, problems: list[Problem]) -> str:
    """The text at ``form[last part of field]``, reported under ``field``."""
    value = _text(form.get(field.rsplit(".", 1)[-1]))
    if not value:
        problems.append(Problem(field, "required", "required"))
    elif len(value) > MAX_NAME:
        problems.append(Problem(field, "too_long", f"at most {MAX_NAME} characters"))
    return value


def _hsa(value, field: str, problems: list[Problem]) -> str:
    value = _text(value).upper()
    if not value:
        problems.append(Problem(field, "hsa_required", f"a HSA-id is required (e.g. {directory.HSA_EXAMPLE})"))
    elif not directory.valid_hsa_id(value):
        problems.append(Problem(field, "hsa_format", f"not a HSA-id (e.g. {directory.HSA_EXAMPLE})"))
    return value


def _region(form: dict, kind: Kind, problems: list[Problem]) -> str | None:
    if not kind.needs_region:
        return None
    region_id = _text(form.get("region_provider_id"))
    region = db.session.get(CareProvider, region_id) if region_id else None
    if region is None or region.kind != "region" or not region.active:
        problems.append(Problem("region_provider_id", "region_required",
                                "a private care provider is connected by a region on the platform"))
        return None
    return region.id


def _org_units(form: dict, field: str, needed: bool, problems: list[Problem]) -> list[dict]:
    if not needed:
        return []
    rows = [row for row in (form.get(field) or []) if _text(row.get("hsa_id")) or _text(row.get("name"))]
    if not rows:
        problems.append(Problem(field, "at_least_one", "name at least one"))
    if len(rows) > MAX_ORG_UNITS:
        problems.append(Problem(field, "too_many", f"at most {MAX_ORG_UNITS}"))
    return [{"hsa_id": _hsa(row.get("hsa_id"), f"{field}.{i}.hsa_id", problems),
             "name": _name(row, f"{field}.{i}.name", problems)}
            for i, row in enumerate(rows[:MAX_ORG_UNITS])]


def _persons(given: dict, kind: Kind, problems: list[Problem]) -> dict:
    """R17: a named person with contact details for every role the kind needs. The care provider
    administrator becomes the first administrator, so needs a HSA-id and an e-mail address."""
    persons = {}
    for role in kind.roles:
        row = given.get(role) or {}
        prefix = f"persons.{role}"
        person = {"name": _name(row, f"{prefix}.name", problems),
                  "email": _text(row.get("email")), "phone": _text(row.get("phone"))}
        if not EMAIL.fullmatch(person["email"]):
            problems.append(Problem(f"{prefix}.email", "email_format", "an e-mail address is required"))
        if person["phone"] and not PHONE.fullmatch(person["phone"]):
            problems.append(Problem(f"{prefix}.phone", "phone_format", "digits, spaces, + ( ) and - only"))
        if role == "vardgivaradmin":
            person["hsa_id"] = _hsa(row.get("hsa_id"), f"{prefix}.hsa_id", problems)
        persons[role] = person
    return persons


def _agreements(given: dict, kind: Kind, problems: list[Problem]) -> dict:
    """R31, R37: each agreement the kind needs is recorded with the date it was signed."""
    recorded = {}
    for name in kind.agreements:
        value = _text(given.get(name))
        try:
            signed = date.fromisoformat(value)
        except ValueError:
            problems.append(Problem(f"agreements.{name}", "agreement_required",
                                    "record the date the agreement was signed (YYYY-MM-DD)"))
            continue
        if signed > clock.local_today():
            problems.append(Problem(f"agreements.{name}", "agreement_in_future", "an agreement signed in the future"))
            continue
        recorded[name] = signed.isoformat()
    return recorded


def hsa_clashes(application: dict, kind: Kind) -> list[Problem]:
    """R38 and the platform's rule that no HSA-id names two things: within the form, and against
    what exists. Run again at approval, since something may have taken an id in between."""
    problems, seen = [], {}
    provider_hsa = application["provider_hsa_id"]
    for field, hsa_id in _hsa_fields(application):
        if not hsa_id or not directory.valid_hsa_id(hsa_id):
            continue
        if field != "provider_hsa_id" and hsa_id == provider_hsa and not field.startswith("persons"):
            problems.append(Problem(field, "unit_shares_provider_hsa",
                                    "a unit may not have the same HSA-id as its care provider"))
        elif hsa_id in seen:
            problems.append(Problem(field, "hsa_repeated", f"the same HSA-id as {seen[hsa_id]}"))
        elif _taken_elsewhere(field, hsa_id, kind):
            problems.append(Problem(field, "hsa_taken", f"the HSA-id {hsa_id} is already in use on the platform"))
        seen.setdefault(hsa_id, field)
    return problems


def _hsa_fields(application: dict):
    yield "provider_hsa_id", application["provider_hsa_id"]
    for field in ("units", "publisher_units"):
        for i, row in enumerate(application[field]):
            yield f"{field}.{i}.hsa_id", row["hsa_id"]
    admin = application["persons"].get("vardgivaradmin")
    if admin:
        yield "persons.vardgivaradmin.hsa_id", admin.get("hsa_id")


def _taken_elsewhere(field: str, hsa_id: str, kind: Kind) -> bool:
    if field == "provider_hsa_id" and not kind.new_provider_only and existing_provider(hsa_id):
        return False  # a region already on the platform connects a publisher unit
    if field.startswith("persons"):
        staff = directory.staff_by_hsa_id(hsa_id)
        return staff is None and directory.hsa_in_use(hsa_id)  # an existing person is granted, not created
    return directory.hsa_in_use(hsa_id)


def existing_provider(hsa_id: str) -> CareProvider | None:
    return db.session.scalar(select(CareProvider).where(CareProvider.hsa_id == hsa_id))
