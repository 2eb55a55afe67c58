"""What the role screens share: who may open a page at all, the local date, labels for the codes
stored in the database, and how a resident is shown.

The guards only answer "signed in, of the right kind, holding the role in force right now";
whether a particular resident's data may be seen is decided by ``access.policy`` alone.
"""
from __future__ import annotations

from datetime import date

from flask import abort, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l

import engine
from access import personnummer, security_log
from access.models import CareProvider
from engine.db import db

ROLE_LABELS = {
    "invanare": _l("Resident"),
    "behandlare": _l("Clinician"),
    "invanaradmin": _l("Resident administrator"),
    "behorighetsadmin": _l("Access administrator"),
    "loggranskare": _l("Log reviewer"),
    "vardgivaradmin": _l("Care provider administrator"),
    "designer": _l("Designer"),
    "utgivare": _l("Publisher"),
    "nationell_forvaltning": _l("National management"),
    "forvaltningsledare": _l("National management lead"),
}
PURPOSE_LABELS = {"vard_och_behandling": _l("Care and treatment"), "administration": _l("Administration")}
ACTION_LABELS = {
    "read": _l("Read"), "list": _l("Shown in a list"), "search_hit": _l("Search hit"), "create": _l("Created"),
    "update": _l("Changed"), "export": _l("Exported"), "message_send": _l("Message sent"),
    "emergency_open": _l("Emergency access"),
}
OUTCOME_LABELS = {"allowed": _l("Allowed"), "denied": _l("Denied")}
STATUS_LABELS = {"running": _l("Ongoing"), "completed": _l("Completed"), "cancelled": _l("Ended early"),
                 "incident": _l("Needs attention"), "paused": _l("Paused (maintenance phase)"),
                 "ended": _l("Ended by the clinician")}
RESOURCE_LABELS = {"resident": _l("Resident details"), "child_code": _l("One-time code"),
                   "video_join": _l("Joined a video meeting"),
                   "own_programs": _l("Own programs"), "own_contact": _l("Own contact details"),
                   "pdl_log": _l("Access log"),
                   "log_extract": _l("Log extract"), "process_instance": _l("Program"),
                   "human_task": _l("Task"), "own_tasks": _l("Own tasks"),
                   "block": _l("Block (spärr)"), "own_blocks": _l("Own blocks"), "message": _l("Messages")}
# access.policy explains refusals in English for the log; reviewers read them in their language.
REASON_LABELS = {
    "not signed in": _l("Not signed in"),
    "another resident's data": _l("Another resident's data"),
    "the assignment or unit is no longer valid": _l("The assignment or the unit is no longer valid"),
    "test residents are for design and test runs only": _l("Test residents are for design and test runs only"),
    "test runs are for design and test residents only": _l("Test runs are for design and test residents only"),
    "no test run for this resident on the test unit": _l("No test run for the resident on the test unit"),
    "no care role on the active assignment": _l("No care role on the assignment in use"),
    "test staff never see real residents": _l("Test staff never see real residents"),
    "no program for this resident on your unit": _l("No program for the resident on the unit"),
    "no such resident": _l("No such resident"),
    "staff only": _l("Only for staff"),
    "test runs are not managed here": _l("Test runs are not managed here"),
    "only the responsible clinician or the resident administrator":
        _l("Only the responsible clinician or the resident administrator"),
    "needs the clinician role on the program's unit": _l("Needs the clinician role on the program's unit"),
    "no such program": _l("No such program"),
    "the program is another resident's": _l("The program is another resident's"),
    "the program is another unit's": _l("The program is another unit's"),
    "outside the program the one-time code is for": _l("Outside the program the one-time code is for"),
    "a step for someone else": _l("A step for someone else"),
    "residents only": _l("Only for residents"),
    "task of another role or unit": _l("A task for another role or unit"),
    "spärr": _l("Blocked by the resident (spärr)"),
}
LABELS = {"reason": REASON_LABELS, "role": ROLE_LABELS, "purpose": PURPOSE_LABELS, "action": ACTION_LABELS,
          "outcome": OUTCOME_LABELS, "status": STATUS_LABELS, "resource": RESOURCE_LABELS}


def refuse(principal, detail: str = ""):
    """Answer 403. The security event (ASVS 7.2.2) is written for every 403 in one place,
    web.session_hook; ``detail`` says there what was refused."""
    g.refusal_detail = detail
    abort(403)


def not_found(principal, detail: str = ""):
    """Answer 404 for something refused or unknown (the two look the same) and keep the probe:
    one security event, committed with any denied PDL row the view wrote before."""
    security_log.event("not_found_probe", "denied", actor_type=principal.kind if principal else None,
                       actor_id=principal.id if principal else None, subject=request.endpoint,
                       detail=detail[:300] or None, request_id=getattr(g, "request_id", None))
    abort(404)


def administered_provider(principal) -> CareProvider:
    """The provider a vardgivaradmin grant is in force for (only the one of the active assignment)."""
    scopes = principal.scopes("vardgivaradmin", "care_provider")
    provider = db.session.get(CareProvider, sorted(scopes)[0]) if scopes else None
    if provider is None:
        refuse(principal, "needs vardgivaradmin")
    return provider


def signed_in_staff():
    """Return the signed-in staff principal; others are sent to sign in (anonymous) or refused."""
    principal = g.principal
    if principal is None:
        abort(redirect(url_for("auth.staff_login")))
    if principal.kind != "staff":
        refuse(principal, "staff page")
    return principal


def staff_with_role(*roles: str):
    """Return the staff principal if one of ``roles`` is in force for this request, else 403."""
    principal = signed_in_staff()
    if not any(principal.has(role) for role in roles):
        refuse(principal, "needs " + " or ".join(roles))
    return principal


def signed_in_resident(kinds=("resident", "child")):
    """Return the signed-in resident (or child) principal; staff are refused."""
    principal = g.principal
    if principal is None:
        abort(redirect(url_for("auth.resident_login")))
    if principal.kind not in kinds:
        refuse(principal, "resident page")
    return principal


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def parse_date(text: str | None) -> date | None:
    """A ``YYYY-MM-DD`` date from a form or query string, or None when absent or malformed."""
    try:
        return date.fromisoformat((text or "").strip()) if text else None
    except ValueError:
        return None


def label(kind: str, code: str | None) -> str:
    """The translated name of a stored code; unknown codes are shown as they are."""
    if not code:
        return ""
    return str(LABELS[kind].get(code, code))


def resident_list_name(resident) -> str:
    """Lists never name a protected identity (Skatteverket's sekretessmarkering)."""
    return str(_l("Protected identity")) if resident.protected_identity else resident.display_name


def resident_list_number(resident) -> str:
    if resident.protected_identity:
        return personnummer.masked(resident.personnummer)
    return personnummer.formatted(resident.personnummer)


# The platform's own steps (not a program's): their titles are ours to translate.
PLATFORM_TASK_TITLES = {engine.HANDOVER_TASK: _l("New resident handed over")}


def task_title(task) -> str:
    """A step's title: the program's name for it, or ours for a platform step."""
    return str(PLATFORM_TASK_TITLES.get(task.element_id, task.name))


def install_template_helpers(bp) -> None:
    """Give the blueprint's templates the label, task and resident helpers."""
    for helper in (label, resident_list_name, resident_list_number, task_title):
        bp.add_app_template_global(helper)
