"""The onboarding case: an application sent in starts the shipped ``onboarding`` process; national
management's review, the applicant's completion and the approval complete its tasks. Who may do
what is checked here (the process's tasks are on the application's id, which nobody holds a role
on: the engine is handed the one grant this module has checked). Functions flush; the caller
commits – one transaction, so an approval that fails creates nothing."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select

import engine
from access import directory, security_log
from engine import clock
from engine.db import db
from onboarding import application as checks
from onboarding.approval import create_organisation
from onboarding.kinds import KINDS
from onboarding.models import OnboardingApplication

PROCESS = Path(__file__).resolve().parents[1] / "workflows" / "onboarding"
REVIEW_TASKS = ("review_application", "final_review")
COMPLETION_TASK = "complete_application"
DECISIONS = ("approve", "complete", "refuse")
NATIONAL = "nationell_forvaltning"
APPLICANT_ROLE = "vardgivaradmin"  # the process's lane for the applicant's steps
MAX_COMMENT = 4000


@dataclass
class OnboardingError(Exception):
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


class OnboardingForbidden(OnboardingError):
    pass


def process_version() -> str:
    """The onboarding process as a stored version (content-addressed: stored once)."""
    import forms
    files = engine.read_paths([PROCESS])
    return engine.store_version(engine.check_package(files, builtin_forms=forms.builtin_form_names())).content_hash


def is_national(principal) -> bool:
    return principal.has(NATIONAL)


def may_apply(principal, form: dict) -> bool:
    """Staff of national management, or the care provider administrator of the organisation the
    form concerns: the connecting region of a private provider, or a region already on the platform."""
    if is_national(principal):
        return True
    own = principal.scopes("vardgivaradmin", "care_provider")
    kind = KINDS.get(str(form.get("kind") or ""))
    if kind is not None and kind.needs_region:
        return str(form.get("region_provider_id") or "") in own
    provider = checks.existing_provider(str(form.get("provider_hsa_id") or "").strip().upper())
    return provider is not None and provider.id in own


def submit(principal, form: dict, request_id: str | None = None) -> OnboardingApplication:
    """Check the form (ApplicationInvalid lists every problem), record it and start the case.
    Nothing on the platform is created here."""
    if not may_apply(principal, form):
        _refuse(principal, None, "apply", request_id)
    details = checks.checked(form)
    existing = checks.existing_provider(details["provider_hsa_id"])
    found = OnboardingApplication(kind=details["kind"], organisation_name=details["organisation_name"],
                                  provider_hsa_id=details["provider_hsa_id"],
                                  region_provider_id=details["region_provider_id"] or (existing.id if existing else None),
                                  details=_stored(details), applicant_id=principal.id, state="submitted",
                                  submitted_at=clock.now(), rounds=0)
    db.session.add(found)
    db.session.flush()
    outcome = engine.start(process_version(), engine.SYSTEM, unit_id=found.id,
                           data={"application_id": found.id, "organisation_name": found.organisation_name,
                                 "kind_label": found.kind})
    found.instance_id = outcome.instance_id
    security_log.event("onboarding_submitted", "ok", actor_type="staff", actor_id=principal.id, subject=found.id,
                       detail=found.kind, request_id=request_id)
    db.session.flush()
    return found


def _stored(details: dict) -> dict:
    return {key: details[key] for key in ("units", "publisher_units", "persons", "agreements")}


def review(principal, application_id: str, *, decision: str, comment: str = "",
           request_id: str | None = None, base_url: str | None = None,
           queued: list[str] | None = None) -> OnboardingApplication:
    """National management decides: approve (creates everything, then the case ends approved),
    ask for completion (the applicant gets a task with the comment), or refuse (nothing created)."""
    found = _get(application_id)
    if not is_national(principal):
        _refuse(principal, found, "review", request_id)
    comment = (comment or "").strip()
    if decision not in DECISIONS:
        raise OnboardingError("decision_unknown", "choose approve, ask for completion or refuse")
    if decision in ("complete", "refuse") and not comment:
        raise OnboardingError("comment_required", "a comment to the applicant is required")
    if len(comment) > MAX_COMMENT:
        raise OnboardingError("comment_too_long", f"at most {MAX_COMMENT} characters")
    task = _ready(found, REVIEW_TASKS)
    if task is None:
        raise OnboardingError("not_in_review", "the application is not waiting for a review")
    if decision == "complete" and task.element_id == "final_review":
        raise OnboardingError("rounds_used", "completion has been asked for the most times allowed: approve or refuse")
    if decision == "approve":
        _approve(found, principal.id, base_url=base_url, request_id=request_id, queued=queued)
    engine.complete_task(task.id, _actor(principal, NATIONAL, found), {"decision": decision, "review_comment": comment})
    found.comment = comment or None
    if decision == "complete":
        found.state, found.rounds = "completion_requested", found.rounds + 1
    else:
        found.state, found.decided_by, found.decided_at = ("approved" if decision == "approve" else "refused",
                                                           principal.id, clock.now())
    security_log.event(f"onboarding_{found.state}", "ok", actor_type="staff", actor_id=principal.id,
                       subject=found.id, request_id=request_id)
    db.session.flush()
    return found


def _approve(found: OnboardingApplication, approver_id: str, **enrolment) -> None:
    try:
        provider = create_organisation(found, approver_id, **enrolment)
    except directory.DirectoryError as err:
        raise OnboardingError(err.code, str(err)) from err
    found.region_provider_id = found.region_provider_id or provider.id


def complete(principal, application_id: str, form: dict, note: str,
             request_id: str | None = None) -> OnboardingApplication:
    """The applicant sends the corrected form; it is checked like a new one, and the case goes
    back to national management's review."""
    found = _get(application_id)
    if principal.id != found.applicant_id and not is_national(principal):
        _refuse(principal, found, "complete", request_id)
    note = (note or "").strip()
    if not note or len(note) > 2000:
        raise OnboardingError("note_required", "say what you completed (at most 2000 characters)")
    task = _ready(found, (COMPLETION_TASK,))
    if task is None:
        raise OnboardingError("not_waiting", "the application is not waiting for completion")
    details = checks.checked({**form, "kind": found.kind})
    found.organisation_name, found.provider_hsa_id = details["organisation_name"], details["provider_hsa_id"]
    found.details = _stored(details)
    engine.complete_task(task.id, _actor(principal, APPLICANT_ROLE, found), {"completion_note": note})
    found.state = "submitted"
    security_log.event("onboarding_completed", "ok", actor_type="staff", actor_id=principal.id, subject=found.id,
                       request_id=request_id)
    db.session.flush()
    return found


def _actor(principal, role: str, found: OnboardingApplication) -> engine.Actor:
    """The principal with the one grant this module has checked: the role on the case."""
    return engine.Actor(principal.id, frozenset({(role, found.id)}))


def _ready(found: OnboardingApplication, element_ids: tuple[str, ...]):
    for task in engine.ready_tasks(found.instance_id):
        if task.element_id in element_ids:
            return task
    return None


def _get(application_id: str) -> OnboardingApplication:
    found = db.session.get(OnboardingApplication, str(application_id or ""))
    if found is None:
        raise OnboardingError("not_found", "no such application")
    return found


def _refuse(principal, found, action: str, request_id) -> None:
    security_log.event("onboarding_refused", "denied", actor_type="staff", actor_id=principal.id,
                       subject=found.id if found else None, detail=action, request_id=request_id)
    raise OnboardingForbidden("forbidden", f"you may not {action} this onboarding")


def visible_to(principal) -> list[OnboardingApplication]:
    """National management sees every case; a care provider administrator their region's and their own."""
    query = select(OnboardingApplication).order_by(OnboardingApplication.submitted_at.desc())
    if not is_national(principal):
        own = principal.scopes("vardgivaradmin", "care_provider")
        query = query.where(or_(OnboardingApplication.region_provider_id.in_(own),
                                OnboardingApplication.applicant_id == principal.id))
    return list(db.session.scalars(query))
