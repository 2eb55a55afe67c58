"""Raising a support case and handling it (R63–R69, R84).

- ``raise_case``: any member of staff signed in as themself asks a question or reports a problem,
  with where and when (page, product, platform version, time: the shell's carrying link fills them
  in, checked as an incident report's are, incidents/where.py) and screenshots (stored like incident
  evidence, incidents/evidence.py). The case starts the shipped ``support_case`` process, which
  routes it by category: an error to national support at once (R69), a question about a program's
  content to the publisher unit that owns it (R65), a login problem to the identity service's
  support (R68: the case is referred, nobody here handles it), anything else to the region's local
  support (R63), or to national support when the requester belongs to no region.
- ``handle``: whoever has the case answers it, or passes it on to national support (local support
  and the content owner may; national support answers). The requester follows the stage and reads
  the answer on their own page. rules.py says who is who.

The process data holds the case id, its category and the reminder deadline, never the question or
the answer. Functions flush; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

import engine
import forms
from access import security_log
from catalogue.queries import entries
from engine import clock
from engine.db import db
from incidents import evidence, where
from incidents.errors import IncidentError
from support import notices, rules
from support.config import SupportConfig
from support.errors import SupportError, SupportForbidden
from support.models import CATEGORIES, SupportCase, SupportEvidence

PROCESS = Path(__file__).resolve().parents[1] / "workflows" / "support_case"
PLATFORM_UNIT = "platform"
MAX_TEXT = 4000
STAGE_OF_STEP = {rules.LOCAL: "with_local", rules.PUBLISHER: "with_publisher", rules.NATIONAL: "with_national"}
STEP_OF_STAGE = {stage: step for step, stage in STAGE_OF_STEP.items()}
DECISIONS = ("answer", "pass")


@dataclass(frozen=True)
class Draft:
    """What the requester sends; the shell link fills the first four."""
    product: str
    page_url: str
    platform_version: str
    observed_at: datetime | None
    category: str
    question: str
    program_key: str = ""


def process_version() -> str:
    files = engine.read_paths([PROCESS])
    return engine.store_version(engine.check_package(files, builtin_forms=forms.builtin_form_names())).content_hash


def programs() -> dict[str, tuple[str, str]]:
    """Every published program: key -> (name, the publisher unit that owns its newest version)."""
    owners = {}
    for entry, unit in entries():  # by version, so the newest version's owner is the one kept
        owners[entry.program_key] = (entry.name, unit.id)
    return owners


def raise_case(principal, draft: Draft, uploads: list[evidence.Upload], config: SupportConfig,
               request_id: str | None = None) -> SupportCase:
    """File the case, store its screenshots, start the process; SupportError on bad input, before
    anything is stored."""
    if not rules.may_raise(principal):
        raise SupportForbidden("only staff signed in as themselves raise support cases")
    clean = _checked(draft)
    try:
        if len(uploads) > evidence.MAX_FILES:
            raise SupportError("evidence_count", f"at most {evidence.MAX_FILES} files")
        types = [evidence.checked(u, config.max_evidence_bytes) for u in uploads]
    except IncidentError as err:
        raise SupportError(err.code, str(err)) from None
    now = clock.now()
    case = SupportCase(requester_id=principal.id, care_provider_id=principal.care_provider_id, stage="with_local",
                       created_at=now, updated_at=now, **clean)
    db.session.add(case)
    db.session.flush()
    for upload, media_type in zip(uploads, types):
        stored = evidence.store(config.evidence_dir, upload.data)
        db.session.add(SupportEvidence(case_id=case.id, stored_name=stored, media_type=media_type,
                                       size=len(upload.data), sha256=evidence.sha256(upload.data), uploaded_at=now))
    outcome = engine.start(process_version(), engine.SYSTEM, unit_id=PLATFORM_UNIT, owner_id=principal.id,
                           data={"case_id": case.id, "category": case.category,
                                 "has_local": case.care_provider_id is not None,
                                 "remind_after": config.remind_after})
    case.instance_id = outcome.instance_id
    _sync(case)
    security_log.event("support_case_raised", "ok", actor_type="staff", actor_id=principal.id, subject=case.id,
                       request_id=request_id)
    notices.arrived(case, waiting_step(case))
    db.session.flush()
    return case


def _checked(draft: Draft) -> dict:
    try:
        place = where.checked(draft.product, draft.page_url, draft.platform_version, draft.observed_at)
    except IncidentError as err:
        raise SupportError(err.code, str(err)) from None
    if draft.category not in CATEGORIES:
        raise SupportError("category", "choose what the case is about")
    question = (draft.question or "").strip()
    if not question or len(question) > MAX_TEXT:
        raise SupportError("question", f"write your question (at most {MAX_TEXT} characters)")
    program_key, unit_id = None, None
    if draft.category == "content":
        owner = programs().get(draft.program_key or "")
        if owner is None:
            raise SupportError("program_key", "choose the program the question is about")
        program_key, unit_id = draft.program_key, owner[1]
    return place | {"category": draft.category, "question": question, "program_key": program_key,
                    "publisher_unit_id": unit_id}


def open_steps(case: SupportCase) -> list[str]:
    return [t.element_id for t in engine.ready_tasks(case.instance_id)] if case.instance_id else []


def waiting_step(case: SupportCase) -> str | None:
    """The handling step the case waits for, if any (one at a time)."""
    waiting = open_steps(case)
    return next((s for s in rules.HANDLING_STEPS if s in waiting), None)


def _sync(case: SupportCase) -> None:
    """The stage the requester sees, from where the process stands."""
    step = waiting_step(case)
    case.stage = STAGE_OF_STEP[step] if step else ("answered" if case.answer else "referred")


def own_cases(principal) -> list[SupportCase]:
    if not rules.may_raise(principal):
        return []
    return list(db.session.scalars(select(SupportCase).where(SupportCase.requester_id == principal.id)
                                   .order_by(SupportCase.created_at.desc())))


def queue(principal) -> list[SupportCase]:
    """The cases ``principal`` sees as a handler: those waiting for them first, then the rest, newest first."""
    if not rules.is_handler(principal):
        raise SupportForbidden("support handlers only")
    cases = db.session.scalars(select(SupportCase).where(rules.handler_filter(principal))
                               .order_by(SupportCase.created_at.desc())).all()
    return sorted(cases, key=lambda c: not may_act(principal, c))  # stable: newest first within each


def may_act(principal, case: SupportCase) -> bool:
    """Whether the case waits at a step ``principal`` handles (from its stage, without the engine)."""
    step = STEP_OF_STAGE.get(case.stage)
    return step is not None and rules.may_handle_step(principal, case, step)


def case_for(principal, case_id: str) -> SupportCase:
    """The case for its requester or one of its handlers; SupportForbidden for anyone else."""
    case = _get(case_id)
    if not rules.may_see(principal, case):
        _denied(principal, case_id)
    return case


def handle(principal, case_id: str, decision: str, answer: str = "", request_id: str | None = None) -> SupportCase:
    """Answer the case, or pass it to national support, at the step it waits for."""
    case = case_for(principal, case_id)
    step = waiting_step(case)
    if step is None:
        raise SupportError("not_waiting", "the case is not waiting for an answer")
    if not rules.may_handle_step(principal, case, step):
        _denied(principal, case_id)
    if decision not in DECISIONS or (decision == "pass" and step == rules.NATIONAL):
        raise SupportError("decision", "choose to answer or to pass the case on")
    text = (answer or "").strip()
    if decision == "answer" and (not text or len(text) > MAX_TEXT):
        raise SupportError("answer", f"write the answer (at most {MAX_TEXT} characters)")
    task = next(t for t in engine.ready_tasks(case.instance_id) if t.element_id == step)
    engine.complete_task(task.id, engine.SYSTEM, {"decision": decision})
    now = clock.now()
    if decision == "answer":
        case.answer, case.answered_by, case.answered_at = text, principal.id, now
    else:
        case.passed_on = True
    case.updated_at = now
    _sync(case)
    security_log.event("support_case_" + ("answered" if decision == "answer" else "passed"), "ok",
                       actor_type="staff", actor_id=principal.id, subject=case.id, request_id=request_id)
    if decision == "answer":
        notices.answered(case)
    else:
        notices.arrived(case, waiting_step(case))
    db.session.flush()
    return case


def evidence_list(principal, case_id: str) -> list[SupportEvidence]:
    case_for(principal, case_id)
    return list(db.session.scalars(select(SupportEvidence).where(SupportEvidence.case_id == case_id)
                                   .order_by(SupportEvidence.uploaded_at, SupportEvidence.id)))


def read_evidence(principal, case_id: str, evidence_id: str, config: SupportConfig,
                  request_id: str | None = None) -> tuple[bytes, str]:
    """A screenshot's bytes and type, for the case's handlers only; every opening is a security event."""
    case = case_for(principal, case_id)
    if not rules.may_see_as_handler(principal, case):
        _denied(principal, case_id)
    item = db.session.get(SupportEvidence, evidence_id) if isinstance(evidence_id, str) else None
    if item is None or item.case_id != case_id:
        raise SupportError("evidence_missing", "no such file")
    security_log.event("support_evidence_opened", "ok", actor_type="staff", actor_id=principal.id,
                       subject=item.id, request_id=request_id)
    try:
        return evidence.load(config.evidence_dir, item.stored_name), item.media_type
    except IncidentError as err:
        raise SupportError(err.code, str(err)) from None


def _get(case_id: str) -> SupportCase:
    case = db.session.get(SupportCase, case_id) if isinstance(case_id, str) else None
    if case is None:
        raise SupportError("not_found", "no such case")
    return case


def _denied(principal, case_id: str):
    security_log.event("support_case", "denied", actor_type=getattr(principal, "kind", None),
                       actor_id=getattr(principal, "id", None), subject=case_id)
    raise SupportForbidden("you may not open this case")
