"""Refusals from the domain, worded in the visitor's language.

``access.directory`` and ``access.personnummer`` refuse with a code (and parameters) and an English
message for logs and tests; what a person reads is chosen here, through the catalogue, so a
Swedish page never shows "the check digit does not match"."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from access import directory, personnummer

PERSONNUMMER = {
    "missing": _l("Write the personnummer."),
    "format": _l("Write the personnummer with digits only, as YYYYMMDD-NNNN."),
    "too_short": _l("The personnummer is too short: write all 12 digits, as YYYYMMDD-NNNN."),
    "too_long": _l("The personnummer is too long: write 12 digits, as YYYYMMDD-NNNN."),
    "not_a_date": _l("The personnummer does not begin with a real date: the first eight digits are the date "
                     "of birth, YYYYMMDD."),
    "coordination_not_a_date": _l("This looks like a samordningsnummer (the day of birth plus 60), but the "
                                  "day minus 60 is not a real date. Check the date digits."),
    "check_digit": _l("The last digit does not match the others; check that you typed every digit."),
}


def personnummer_message(err: personnummer.InvalidPersonnummer | str) -> str:
    code = err if isinstance(err, str) else err.code
    return str(PERSONNUMMER.get(code, PERSONNUMMER["format"]))


def directory_message(err: directory.DirectoryError) -> str:
    """What a refused change says to the person who tried, in their language."""
    code, params = getattr(err, "code", "refused"), getattr(err, "params", {})
    if code == "hsa_taken":
        return _("The HSA-id %(hsa_id)s is already in use.", hsa_id=params.get("hsa_id", ""))
    if code == "hsa_required":
        return _("A HSA-id is required, for example SE2321000016-ABCD.")
    if code == "hsa_format":
        return _("%(hsa_id)s is not a HSA-id. A HSA-id is SE, the 10-digit organisation number, a hyphen and "
                 "1–31 letters A–Z or digits, for example SE2321000016-ABCD.", hsa_id=params.get("hsa_id", ""))
    if code == "unit_shares_provider_hsa":
        return _("A unit may not have the same HSA-id as its care provider.")
    if code == "training_never_publishes":
        return _("A training publishing unit can never publish, so nobody can be publisher there.")
    if code == "self_grant":
        return _("You cannot grant a role to yourself. Ask another administrator, or the care provider's "
                 "administrator.")
    if code == "role_not_in_scope":
        return _("That role cannot be granted here.")
    if code == "personnummer":
        return personnummer_message(params.get("reason", "format"))
    if code == "resident_exists":
        return _("A resident with this personnummer already exists.")
    return _assignment_message(code) or _("The change was refused.")


def _assignment_message(code: str) -> str | None:
    """Refusals of a new member of staff or of a change to an assignment (medarbetaruppdrag)."""
    messages = {
        "name_required": _l("Write both the given name and the family name."),
        "email_taken": _l("Another staff member already has this e-mail address. Each person signs in with "
                          "their own."),
        "purpose_unknown": _l("Choose one of the purposes."),
        "assignment_starts_in_past": _l("An assignment cannot start before today."),
        "assignment_ends_before_start": _l("The end date must be on or after the start date."),
        "assignment_overlaps": _l("The staff member already has an assignment on the unit for this purpose at "
                                  "that time. End it first, or choose other dates."),
        "staff_inactive": _l("The staff member is deactivated and cannot be given an assignment."),
        "own_admin_assignment": _l("You cannot end your own assignment while it carries your access administrator "
                                   "role. Ask another administrator."),
        "staff_exists": _l("A staff member with this HSA-id already exists."),
        "email_required": _l("Write an e-mail address: the activation link is sent there."),
        "lead_not_national": _l("The national management lead must be a member of national management."),
    }
    return str(messages[code]) if code in messages else None
