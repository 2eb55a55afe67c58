"""Agreement ended (R33): a region's care provider administrator reports that a private care
provider it connected no longer has an agreement; national management confirms or rejects; the
running programs on the provider's units are handed over or ended (the platform lists them);
then, in one transaction, every unit and publisher unit of the provider is deactivated and its
catalogue activations ended. The case runs the shipped ``agreement_ended`` process; who may do
what is checked here, and the engine is handed only the grant checked. Functions flush; the
caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

import catalogue
import engine
from access import directory, security_log
from access.models import CareProvider, PublisherUnit, Unit
from engine import clock
from engine.db import db
from onboarding.models import AgreementEnding, OnboardingApplication
from onboarding.process import NATIONAL, OnboardingError, OnboardingForbidden, is_national

PROCESS = Path(__file__).resolve().parents[1] / "workflows" / "agreement_ended"
ADMIN = "vardgivaradmin"
PRIVATE_KIND = "privat_vardgivare"  # onboarding/kinds.py: the provider a region connects (R34)
MAX_REASON = 2000
OPEN_STATES = ("reported", "confirmed")
RUNNING = ("running", "paused", "incident")  # the engine's unfinished states: handed over or ended first


@dataclass(frozen=True)
class RunningProgram:
    """A program still running on one of the provider's units: never the resident's name."""

    instance_id: str
    unit_id: str
    unit_name: str
    program_name: str
    started_at: object


def process_version() -> str:
    import forms
    files = engine.read_paths([PROCESS])
    return engine.store_version(engine.check_package(files, builtin_forms=forms.builtin_form_names())).content_hash


def _own_regions(principal) -> set[str]:
    return set(principal.scopes(ADMIN, "care_provider"))


def connecting_region(provider: CareProvider) -> str | None:
    """The region that connected a private provider: its approved private-provider case says so
    (a later Designverktyget case for the same provider names the provider itself)."""
    return db.session.scalar(select(OnboardingApplication.region_provider_id).where(
        OnboardingApplication.provider_hsa_id == provider.hsa_id, OnboardingApplication.state == "approved",
        OnboardingApplication.kind == PRIVATE_KIND)
        .order_by(OnboardingApplication.submitted_at.desc()).limit(1))


def reportable_providers(principal) -> list[CareProvider]:
    """The active private providers the principal's regions connected."""
    own = _own_regions(principal)
    rows = db.session.scalars(select(CareProvider).where(CareProvider.kind == "private",
                                                         CareProvider.active.is_(True)).order_by(CareProvider.name))
    return [p for p in rows if connecting_region(p) in own]


def report(principal, provider_id: str, reason: str, ended_on: date,
           request_id: str | None = None) -> AgreementEnding:
    """The connecting region's vårdgivaradmin reports the agreement ended; the case starts."""
    provider = db.session.get(CareProvider, str(provider_id or ""))
    region = connecting_region(provider) if provider is not None and provider.kind == "private" else None
    if region is None or region not in _own_regions(principal):
        _refuse(principal, None, "report", request_id)
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise OnboardingError("reason_required", f"give the reason (at most {MAX_REASON} characters)")
    if not isinstance(ended_on, date):
        raise OnboardingError("ended_on_required", "give the date the agreement ended")
    if _open_case(provider.id) is not None:
        raise OnboardingError("already_reported", "the agreement's end is already reported for this provider")
    case = AgreementEnding(provider_id=provider.id, region_provider_id=region, reason=reason, ended_on=ended_on,
                           reported_by=principal.id, reported_at=clock.now(), state="reported")
    db.session.add(case)
    db.session.flush()
    outcome = engine.start(process_version(), engine.SYSTEM, unit_id=case.id,
                           data={"case_id": case.id, "provider_name": provider.name,
                                 "ended_on": ended_on.isoformat()})
    case.instance_id = outcome.instance_id
    security_log.event("agreement_ended_reported", "ok", actor_type="staff", actor_id=principal.id,
                       subject=provider.id, detail=case.id, request_id=request_id)
    db.session.flush()
    return case


def _open_case(provider_id: str) -> AgreementEnding | None:
    return db.session.scalar(select(AgreementEnding).where(AgreementEnding.provider_id == provider_id,
                                                           AgreementEnding.state.in_(OPEN_STATES)))


def confirm(principal, case_id: str, comment: str = "", request_id: str | None = None) -> AgreementEnding:
    return _decide(principal, case_id, "confirm", comment, request_id)


def reject(principal, case_id: str, comment: str, request_id: str | None = None) -> AgreementEnding:
    return _decide(principal, case_id, "reject", comment, request_id)


def _decide(principal, case_id: str, decision: str, comment: str, request_id) -> AgreementEnding:
    case = get(case_id)
    if not is_national(principal):
        _refuse(principal, case, decision, request_id)
    comment = (comment or "").strip()
    if decision == "reject" and not comment:
        raise OnboardingError("comment_required", "say why the report is rejected")
    if len(comment) > MAX_REASON:
        raise OnboardingError("comment_too_long", f"at most {MAX_REASON} characters")
    task = _ready(case, "confirm_ending")
    if task is None:
        raise OnboardingError("not_waiting", "the report is not waiting for confirmation")
    engine.complete_task(task.id, _actor(principal, NATIONAL, case), {"decision": decision,
                                                                      "decision_comment": comment})
    case.state = "confirmed" if decision == "confirm" else "rejected"
    case.comment, case.decided_by, case.decided_at = comment or None, principal.id, clock.now()
    security_log.event(f"agreement_ended_{case.state}", "ok", actor_type="staff", actor_id=principal.id,
                       subject=case.provider_id, detail=case.id, request_id=request_id)
    db.session.flush()
    return case


def provider_units(provider_id: str) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.care_provider_id == provider_id).order_by(Unit.name)))


def provider_publisher_units(provider: CareProvider) -> list[PublisherUnit]:
    """Publisher units carry no provider; the approved connection forms name them."""
    hsa_ids = set()
    for found in db.session.scalars(select(OnboardingApplication).where(
            OnboardingApplication.provider_hsa_id == provider.hsa_id, OnboardingApplication.state == "approved")):
        hsa_ids.update(row["hsa_id"] for row in found.details.get("publisher_units", []))
    if not hsa_ids:
        return []
    return list(db.session.scalars(select(PublisherUnit).where(PublisherUnit.hsa_id.in_(hsa_ids))))


def running_programs(provider_id: str) -> list[RunningProgram]:
    """Every program still running on the provider's units, oldest first; no names of residents."""
    units = {u.id: u for u in provider_units(provider_id)}
    return [RunningProgram(s.id, s.unit_id, units[s.unit_id].name, s.program_name, s.created_at)
            for s in engine.instances_on_units(units) if s.status in RUNNING]


def deactivate(principal, case_id: str, note: str = "", request_id: str | None = None) -> AgreementEnding:
    """The region's administrator completes 'hand over or end the running programs'; refused while
    any still runs. Then every unit, publisher unit and catalogue activation of the provider is
    deactivated, each with its security event, in the caller's one transaction."""
    case = get(case_id)
    if not may_act(principal, case):
        _refuse(principal, case, "deactivate", request_id)
    task = _ready(case, "hand_over_programs")
    if task is None:
        raise OnboardingError("not_confirmed", "national management has not confirmed the report")
    if running_programs(case.provider_id):
        raise OnboardingError("programs_running", "hand over or end the running programs first")
    _deactivate_everything(case, principal.id, request_id)
    engine.complete_task(task.id, _actor(principal, ADMIN, case), {"hand_over_note": (note or "").strip()[:2000]})
    case.state, case.deactivated_at = "deactivated", clock.now()
    security_log.event("agreement_ended_deactivated", "ok", actor_type="staff", actor_id=principal.id,
                       subject=case.provider_id, detail=case.id, request_id=request_id)
    db.session.flush()
    return case


def _deactivate_everything(case: AgreementEnding, actor_id: str, request_id) -> None:
    provider = db.session.get(CareProvider, case.provider_id)
    units = provider_units(provider.id)
    for program_key, unit_id in sorted(catalogue.activations_on([u.id for u in units])):
        catalogue.deactivate(program_key, [unit_id], actor_id, request_id=request_id)
    for unit in units:
        directory.set_unit_active(unit, False, actor_id)
    for publisher_unit in provider_publisher_units(provider):
        publisher_unit.active = False
        security_log.event("publisher_unit_deactivated", "ok", actor_type="staff", actor_id=actor_id,
                           subject=publisher_unit.id, request_id=request_id)
    provider.active = False
    security_log.event("care_provider_deactivated", "ok", actor_type="staff", actor_id=actor_id,
                       subject=provider.id, request_id=request_id)


def may_act(principal, case: AgreementEnding) -> bool:
    return case.region_provider_id in _own_regions(principal)


def may_see(principal, case: AgreementEnding) -> bool:
    return is_national(principal) or may_act(principal, case)


def visible_to(principal) -> list[AgreementEnding]:
    query = select(AgreementEnding).order_by(AgreementEnding.reported_at.desc())
    if not is_national(principal):
        query = query.where(AgreementEnding.region_provider_id.in_(_own_regions(principal)))
    return list(db.session.scalars(query))


def get(case_id: str) -> AgreementEnding:
    case = db.session.get(AgreementEnding, str(case_id or ""))
    if case is None:
        raise OnboardingError("not_found", "no such case")
    return case


def _actor(principal, role: str, case: AgreementEnding) -> engine.Actor:
    return engine.Actor(principal.id, frozenset({(role, case.id)}))


def _ready(case: AgreementEnding, element_id: str):
    return next((t for t in engine.ready_tasks(case.instance_id) if t.element_id == element_id), None)


def _refuse(principal, case, action: str, request_id) -> None:
    security_log.event("agreement_ended_refused", "denied", actor_type="staff", actor_id=principal.id,
                       subject=case.id if case else None, detail=action, request_id=request_id)
    raise OnboardingForbidden("forbidden", f"you may not {action} this agreement's end")
