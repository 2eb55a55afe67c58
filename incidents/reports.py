"""Reporting an incident and following it to closure (R57–R62, R84).

- ``report``: any signed-in member of staff reports what happened, where (page URL, product,
  platform version, time) and its consequence, with evidence files. The case starts the shipped
  ``incident_report`` process at once: a serious or potentially serious one goes to the manufacturer
  and to Läkemedelsverket in parallel (R59), with nothing to approve first (R60).
- ``advance``: national management triages, investigates, corrects and closes; the reporter is
  told of each stage by a fixed notification.
- ``record_agency_report_sent``: the reporter or their care provider's administrator records when
  the printable report went to Läkemedelsverket.

The process's data holds the case id, its consequence and deadlines, never what happened.
Functions flush; the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

import engine
import forms
from access import security_log, staff_rights
from engine import clock
from engine.db import db
from incidents import evidence, where
from incidents.config import IncidentConfig
from incidents.errors import IncidentError, IncidentForbidden
from incidents.models import CONSEQUENCES, SERIOUS, STAGES, Incident, IncidentEvidence
from notify import incidents as notices

PROCESS = Path(__file__).resolve().parents[1] / "workflows" / "incident_report"
# The process runs on no unit: its tasks are the platform's, gated here by the policy layer.
PLATFORM_UNIT = "platform"
MAX_TEXT = 4000
# The manufacturer's steps in order, and the stage the reporter sees once each is done.
STEPS = {"triage": "triaged", "investigate": "investigated", "corrective_action": "corrected",
         "close_case": "closed"}
STEP_FIELDS = {"triage": ("triage_note",), "investigate": ("investigation_findings",),
               "corrective_action": ("corrective_action",), "close_case": ("closing_summary",)}
AGENCY_TASK = "record_lmv_sent"


@dataclass(frozen=True)
class Draft:
    """What the reporter sends; the shell link fills the first four."""
    product: str
    page_url: str
    platform_version: str
    observed_at: datetime
    what_happened: str
    consequence: str


def process_version() -> str:
    """The incident process as a stored version (content-addressed: stored once)."""
    files = engine.read_paths([PROCESS])
    return engine.store_version(engine.check_package(files, builtin_forms=forms.builtin_form_names())).content_hash


def report(principal, draft: Draft, uploads: list[evidence.Upload], config: IncidentConfig,
           request_id: str | None = None) -> Incident:
    """File the case, store its evidence, start the process; IncidentError on bad input, before
    anything is stored."""
    if not staff_rights.may_report_incident(principal):
        raise IncidentForbidden("only signed-in staff report incidents")
    clean = _checked(draft)
    if len(uploads) > evidence.MAX_FILES:
        raise IncidentError("evidence_count", f"at most {evidence.MAX_FILES} files")
    types = [evidence.checked(u, config.max_evidence_bytes) for u in uploads]
    now = clock.now()
    incident = Incident(reporter_id=principal.id, reporter_care_provider_id=principal.care_provider_id,
                        stage="reported", reported_at=now, updated_at=now, **clean)
    db.session.add(incident)
    db.session.flush()
    for upload, media_type in zip(uploads, types):
        stored = evidence.store(config.evidence_dir, upload.data)
        db.session.add(IncidentEvidence(incident_id=incident.id, stored_name=stored, media_type=media_type,
                                        size=len(upload.data), sha256=evidence.sha256(upload.data), uploaded_at=now))
    triage_due, agency_due = config.deadlines[incident.consequence]
    incident.triage_due_at = now + clock.parse_duration(triage_due)
    incident.agency_due_at = now + clock.parse_duration(agency_due) if incident.serious else None
    outcome = engine.start(process_version(), engine.SYSTEM, unit_id=PLATFORM_UNIT, owner_id=principal.id,
                           data={"incident_id": incident.id, "consequence": incident.consequence,
                                 "triage_due_after": triage_due, "lmv_due_after": agency_due})
    incident.instance_id = outcome.instance_id
    security_log.event("incident_reported", "ok", actor_type="staff", actor_id=principal.id, subject=incident.id,
                       request_id=request_id)
    notices.case_reported(incident.id)
    db.session.flush()
    return incident


def _checked(draft: Draft) -> dict:
    place = where.checked(draft.product, draft.page_url, draft.platform_version, draft.observed_at)
    if draft.consequence not in CONSEQUENCES:
        raise IncidentError("consequence", "choose the consequence")
    what = (draft.what_happened or "").strip()
    if not what or len(what) > MAX_TEXT:
        raise IncidentError("what_happened", f"describe what happened (at most {MAX_TEXT} characters)")
    return place | {"what_happened": what, "consequence": draft.consequence}


def case_for_handler(principal, incident_id: str) -> Incident:
    if not staff_rights.may_handle_incidents(principal):
        _denied(principal, incident_id, "incident_case")
    return _get(incident_id)


def case_for_reporter(principal, incident_id: str) -> Incident:
    """The reporter's own case, or one their administrator may record the agency report for."""
    incident = _get(incident_id)
    if not (staff_rights.may_handle_incidents(principal)
            or staff_rights.may_record_agency_report(principal, incident.reporter_id, incident.reporter_care_provider_id)):
        _denied(principal, incident_id, "incident_case")
    return incident


def own_cases(principal) -> list[Incident]:
    """The reporter's cases, newest first, with their stage."""
    if principal is None or principal.kind != "staff":
        return []
    return list(db.session.scalars(select(Incident).where(Incident.reporter_id == principal.id)
                                   .order_by(Incident.reported_at.desc())))


def open_steps(incident: Incident) -> list[str]:
    """The element ids of the process's waiting tasks for this case."""
    return [t.element_id for t in engine.ready_tasks(incident.instance_id)] if incident.instance_id else []


def advance(principal, incident_id: str, step: str, data: dict, request_id: str | None = None) -> Incident:
    """National management completes ``step`` of the case; the reporter hears of the new stage."""
    incident = case_for_handler(principal, incident_id)
    if step not in STEPS:
        raise IncidentError("step", "no such step")
    clean = _step_data(step, data)
    task = _ready(incident, step)
    engine.complete_task(task.id, engine.SYSTEM, clean)
    incident.stage, incident.updated_at = STEPS[step], clock.now()
    if step == "close_case":
        incident.closing_summary = clean["closing_summary"]
    security_log.event("incident_" + STEPS[step], "ok", actor_type="staff", actor_id=principal.id,
                       subject=incident.id, request_id=request_id)
    notices.stage_reached(incident.reporter_id, incident.id, incident.stage)
    db.session.flush()
    return incident


def _step_data(step: str, data: dict) -> dict:
    clean = {}
    for key in STEP_FIELDS[step]:
        value = str((data or {}).get(key) or "").strip()
        if not value or len(value) > MAX_TEXT:
            raise IncidentError(key, f"write the {key.replace('_', ' ')} (at most {MAX_TEXT} characters)")
        clean[key] = value
    if step == "triage":
        severity = (data or {}).get("triage_severity")
        if severity not in ("serious", "not_serious"):
            raise IncidentError("triage_severity", "choose the assessed severity")
        clean["triage_severity"] = severity
    return clean


def record_agency_report_sent(principal, incident_id: str, sent_on: date, request_id: str | None = None) -> Incident:
    incident = _get(incident_id)
    if not staff_rights.may_record_agency_report(principal, incident.reporter_id, incident.reporter_care_provider_id):
        _denied(principal, incident_id, "incident_agency_report")
    if not isinstance(sent_on, date) or sent_on > clock.local_today() or sent_on < incident.reported_at.date():
        raise IncidentError("lmv_sent_on", "the date must be between the report and today")
    task = _ready(incident, AGENCY_TASK)
    engine.complete_task(task.id, engine.SYSTEM, {"lmv_sent_on": sent_on.isoformat()})
    incident.lmv_sent_on, incident.lmv_recorded_by, incident.updated_at = sent_on, principal.id, clock.now()
    security_log.event("incident_agency_report_recorded", "ok", actor_type="staff", actor_id=principal.id,
                       subject=incident.id, request_id=request_id)
    db.session.flush()
    return incident


def evidence_list(principal, incident_id: str) -> list[IncidentEvidence]:
    case_for_handler(principal, incident_id)
    return list(db.session.scalars(select(IncidentEvidence).where(IncidentEvidence.incident_id == incident_id)
                                   .order_by(IncidentEvidence.uploaded_at, IncidentEvidence.id)))


def read_evidence(principal, incident_id: str, evidence_id: str, config: IncidentConfig,
                  request_id: str | None = None) -> tuple[bytes, str]:
    """The file's bytes and type, for the case's handlers only; every opening is a security event."""
    case_for_handler(principal, incident_id)
    item = db.session.get(IncidentEvidence, evidence_id)
    if item is None or item.incident_id != incident_id:
        raise IncidentError("evidence_missing", "no such evidence file")
    security_log.event("incident_evidence_opened", "ok", actor_type="staff", actor_id=principal.id,
                       subject=item.id, request_id=request_id)
    return evidence.load(config.evidence_dir, item.stored_name), item.media_type


def _ready(incident: Incident, element_id: str):
    for task in engine.ready_tasks(incident.instance_id or ""):
        if task.element_id == element_id:
            return task
    raise IncidentError("not_waiting", "the case is not waiting for this step")


def _get(incident_id: str) -> Incident:
    incident = db.session.get(Incident, incident_id) if isinstance(incident_id, str) else None
    if incident is None:
        raise IncidentError("not_found", "no such case")
    return incident


def _denied(principal, incident_id: str, what: str):
    security_log.event(what, "denied", actor_type=getattr(principal, "kind", None),
                       actor_id=getattr(principal, "id", None), subject=incident_id)
    raise IncidentForbidden("you may not open this case")


def is_serious(incident: Incident) -> bool:
    return incident.consequence in SERIOUS


__all__ = ["Draft", "report", "advance", "record_agency_report_sent", "own_cases", "case_for_handler",
           "case_for_reporter", "open_steps", "evidence_list", "read_evidence", "STAGES"]
