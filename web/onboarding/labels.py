"""What the onboarding screens call kinds, roles, agreements, states and the form's refusals."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "stod_och_behandling": _l("Connection to Stöd och behandling (region or care provider)"),
    "designverktyget": _l("Connection to Designverktyget (publishing unit)"),
    "utbildningsutgivarenhet": _l("Connection of a training publishing unit"),
    "privat_vardgivare": _l("Connection of a private care provider by its region"),
}
ROLE_LABELS = {
    "projektledare": _l("Project manager"),
    "kommunikator": _l("Communicator"),
    "vardgivaradmin": _l("Care provider administrator"),
    "designer": _l("Designer"),
    "utgivare": _l("Publisher"),
    "behandlare": _l("Clinician"),
    "verksamhetsutvecklare": _l("Service developer"),
}
AGREEMENT_LABELS = {
    "kundavtal_2": _l("Kundavtal 2 signed (date)"),
    "region_agreement": _l("Agreement with the region, mirroring Kundavtal 2, signed (date)"),
    "personuppgiftsbitradesavtal_2": _l("Personuppgiftsbiträdesavtal 2 signed (date)"),
}
STATE_LABELS = {
    "submitted": _l("Waiting for national management's review"),
    "completion_requested": _l("Waiting for the applicant's completion"),
    "approved": _l("Approved: connected"),
    "refused": _l("Refused"),
}
PROBLEM_LABELS = {
    "required": _l("Fill this in."),
    "too_long": _l("The text is too long."),
    "kind_unknown": _l("Choose one of the four connection forms."),
    "hsa_required": _l("A HSA-id is required, e.g. SE2321000016-ABCD."),
    "hsa_format": _l("This is not a HSA-id: SE, a 10-digit organisation number, a hyphen and letters or digits."),
    "hsa_taken": _l("This HSA-id is already in use on the platform."),
    "hsa_repeated": _l("This HSA-id is given twice in the form."),
    "unit_shares_provider_hsa": _l("A unit may not have the same HSA-id as its care provider."),
    "region_required": _l("Choose the region that connects the private care provider."),
    "at_least_one": _l("Name at least one."),
    "too_many": _l("Too many rows."),
    "email_format": _l("An e-mail address is required."),
    "phone_format": _l("Use digits, spaces, + ( ) and - only."),
    "agreement_required": _l("Record the date the agreement was signed."),
    "agreement_in_future": _l("The date cannot be in the future."),
}
ERROR_LABELS = {
    "comment_required": _l("Write a comment to the applicant."),
    "comment_too_long": _l("The comment is too long."),
    "decision_unknown": _l("Choose a decision."),
    "rounds_used": _l("Completion has been asked for the most times allowed: approve or refuse."),
    "not_in_review": _l("The application is not waiting for a review."),
    "not_waiting": _l("The application is not waiting for completion."),
    "note_required": _l("Say what you completed."),
    "email_taken": _l("Another staff member has the administrator's e-mail address."),
}


def problem_text(code: str) -> str:
    return str(PROBLEM_LABELS.get(code) or _l("Check this field."))


def error_text(code: str) -> str:
    return str(ERROR_LABELS.get(code) or _l("The step could not be done."))
