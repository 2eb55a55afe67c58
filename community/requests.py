"""Interest in designer training (R73) and requests for implementation support (R72).

A care provider's contact person registers the interest or the request; it starts the shipped
``training_interest`` or ``implementation_support`` process at once, whose one task national
management handles (a training booked, a request answered, or closed with a reply; national
management hears of a new case and the requester of the reply, by fixed texts); a reminder
timer tells national management when a case has waited ``REMINDER_AFTER``. National management's
list shows how many wait, per care provider, and each case. The process's data holds the case id
and its kind, never the message. Functions flush; the caller commits."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

import engine
from access import security_log, staff_rights
from access.models import CareProvider, Staff
from community.errors import CommunityError, CommunityForbidden
from community.models import REQUEST_KINDS, TERMS, CommunityRequest
from engine import clock
from engine.db import db
from notify import outbox

WORKFLOWS = Path(__file__).resolve().parents[1] / "workflows"
PROCESSES = {"training": "training_interest", "implementation": "implementation_support"}
TASKS = {"training": "handle_training", "implementation": "handle_support"}
OUTCOMES = {"training": ("booked", "closed"), "implementation": ("answered", "closed")}
# The processes run on no unit: their tasks are the platform's, gated here by the policy layer.
PLATFORM_UNIT = "platform"
REMINDER_AFTER = "P5D"
REMINDER = "remind_handling"
MAX_TEXT = 4000
MAX_PARTICIPANTS = 200


@dataclass(frozen=True)
class Draft:
    kind: str
    message: str
    participants: int | None = None  # training only
    preferred_term: str | None = None  # training only


@dataclass(frozen=True)
class Waiting:
    care_provider_id: str
    care_provider_name: str
    training: int
    implementation: int

    @property
    def total(self) -> int:
        return self.training + self.implementation


@dataclass(frozen=True)
class Overview:
    waiting: list[Waiting]  # per care provider with any case waiting, most waiting first
    cases: list[CommunityRequest]  # every case, waiting ones first, oldest first
    providers: dict  # care provider id -> name


def process_version(kind: str) -> str:
    import forms
    files = engine.read_paths([WORKFLOWS / PROCESSES[kind]])
    return engine.store_version(engine.check_package(files, builtin_forms=forms.builtin_form_names())).content_hash


def register(principal, draft: Draft, request_id: str | None = None) -> CommunityRequest:
    """Register the interest or request for the principal's care provider; CommunityError on bad
    input before anything is stored."""
    provider_id = staff_rights.request_care_provider(principal)
    if provider_id is None:
        raise CommunityForbidden("staff of a care provider register requests")
    clean = _checked(draft)
    now = clock.now()
    case = CommunityRequest(care_provider_id=provider_id, requester_id=principal.id, state="registered",
                            registered_at=now, **clean)
    db.session.add(case)
    db.session.flush()
    outcome = engine.start(process_version(case.kind), engine.SYSTEM, unit_id=PLATFORM_UNIT, owner_id=principal.id,
                           data={"request_id": case.id, "kind": case.kind, "reminder_after": REMINDER_AFTER})
    case.instance_id = outcome.instance_id
    security_log.event(f"community_request_{case.kind}", "ok", actor_type="staff", actor_id=principal.id,
                       subject=case.id, request_id=request_id)
    from onboarding.reminders import national_management  # who national management is, in one place
    for staff in national_management():  # the fixed text: never the message or the care provider
        outbox.enqueue("staff", staff, "community_request", f"community_request:{case.id}:{staff.id}")
    db.session.flush()
    return case


def _checked(draft: Draft) -> dict:
    if draft.kind not in REQUEST_KINDS:
        raise CommunityError("kind", "choose training or implementation support")
    message = (draft.message or "").strip()
    if not message or len(message) > MAX_TEXT:
        raise CommunityError("message", f"write your message (at most {MAX_TEXT} characters)")
    if draft.kind == "implementation":
        return {"kind": draft.kind, "message": message, "participants": None, "preferred_term": None}
    participants = draft.participants
    if not isinstance(participants, int) or isinstance(participants, bool) or not 1 <= participants <= MAX_PARTICIPANTS:
        raise CommunityError("participants", f"give the number of participants (1–{MAX_PARTICIPANTS})")
    if draft.preferred_term not in TERMS:
        raise CommunityError("preferred_term", "choose the autumn or the spring term")
    return {"kind": draft.kind, "message": message, "participants": participants,
            "preferred_term": draft.preferred_term}


def own(principal) -> list[CommunityRequest]:
    """The requests the principal registered, newest first."""
    if principal is None or principal.kind != "staff":
        return []
    return list(db.session.scalars(select(CommunityRequest).where(CommunityRequest.requester_id == principal.id)
                                   .order_by(CommunityRequest.registered_at.desc())))


def overview(principal) -> Overview:
    _handler(principal)
    cases = list(db.session.scalars(select(CommunityRequest).order_by(CommunityRequest.registered_at,
                                                                     CommunityRequest.id)))
    cases.sort(key=lambda c: c.state != "registered")  # stable: waiting first, each group oldest first
    providers = dict(db.session.execute(select(CareProvider.id, CareProvider.name).where(
        CareProvider.id.in_({c.care_provider_id for c in cases}))).all()) if cases else {}
    counts = Counter((c.care_provider_id, c.kind) for c in cases if c.state == "registered")
    waiting = [Waiting(pid, providers.get(pid, pid), counts[(pid, "training")], counts[(pid, "implementation")])
               for pid in {pid for pid, _ in counts}]
    waiting.sort(key=lambda w: (-w.total, w.care_provider_name))
    return Overview(waiting, cases, providers)


def waiting_count(principal) -> int:
    """How many cases wait for national management (0 for anyone else): the header's count."""
    if not staff_rights.may_handle_community_requests(principal):
        return 0
    return db.session.scalar(select(func.count()).select_from(CommunityRequest)
                             .where(CommunityRequest.state == "registered")) or 0


def case_for_handler(principal, case_id: str) -> CommunityRequest:
    _handler(principal)
    return _get(case_id)


def case_for_requester(principal, case_id: str) -> CommunityRequest:
    case = _get(case_id)
    if case.requester_id != getattr(principal, "id", None) and not staff_rights.may_handle_community_requests(principal):
        raise CommunityError("not_found", "no such request")
    return case


def handle(principal, case_id: str, outcome: str, note: str, request_id: str | None = None) -> CommunityRequest:
    """National management completes the case's task with its outcome and a reply to the requester."""
    case = case_for_handler(principal, case_id)
    if outcome not in OUTCOMES[case.kind]:
        raise CommunityError("outcome", "choose the outcome")
    note = (note or "").strip()
    if not note or len(note) > MAX_TEXT:
        raise CommunityError("outcome_note", f"write the reply (at most {MAX_TEXT} characters)")
    task = next((t for t in engine.ready_tasks(case.instance_id or "") if t.element_id == TASKS[case.kind]), None)
    if task is None or case.state != "registered":
        raise CommunityError("not_waiting", "the case is already handled")
    engine.complete_task(task.id, engine.SYSTEM, {"outcome": outcome, "outcome_note": note})
    case.state, case.outcome_note, case.handled_by, case.handled_at = outcome, note, principal.id, clock.now()
    security_log.event(f"community_request_{outcome}", "ok", actor_type="staff", actor_id=principal.id,
                       subject=case.id, request_id=request_id)
    requester = db.session.get(Staff, case.requester_id)
    if requester is not None and requester.active and not requester.is_test:  # the fixed text, not the reply
        outbox.enqueue("staff", requester, "community_reply", f"community_reply:{case.id}")
    db.session.flush()
    return case


def provider_name(case: CommunityRequest) -> str:
    provider = db.session.get(CareProvider, case.care_provider_id)
    return provider.name if provider else ""


def requester_name(case: CommunityRequest) -> str:
    staff = db.session.get(Staff, case.requester_id)
    return staff.display_name if staff else ""


def _handler(principal) -> None:
    if not staff_rights.may_handle_community_requests(principal):
        raise CommunityForbidden("national management only")


def _get(case_id: str) -> CommunityRequest:
    case = db.session.get(CommunityRequest, case_id) if isinstance(case_id, str) else None
    if case is None:
        raise CommunityError("not_found", "no such request")
    return case
