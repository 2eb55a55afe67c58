"""From a tested draft to the catalogue (R22–R26): a designer submits a revision, the shipped
``publishing_approval`` process decides, and an approval publishes exactly the reviewed bytes.

- ``submit`` freezes the head revision (no validation findings, every scenario passing), stores it
  as a version, records the release notes and the proposed version label and change kind, and
  starts ``publishing_approval`` on the publisher unit. A submission after a send-back ends the
  earlier case (its rework task) and is compared with the same published version.
- ``decide`` is the publisher's review task: it completes the process's ``review_version`` task;
  what happens next is what the process did. An approval goes through
  ``catalogue.approvals.approve``, which holds the four-eyes, publisher-unit and training rules
  whoever calls it; refusals are security events.

Every step is in the program's audit trail (catalogue.audit). Functions flush; the caller commits.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import select

import catalogue
import engine
from access import security_log
from catalogue import approvals, audit
from design import change_kind as change_kind_rules
from design import package_check, store
from design.errors import DesignError, DesignForbidden
from design.models import DesignProgram, DesignRevision, DesignSubmission
from engine import clock
from engine.db import db

APPROVAL_PROCESS = Path(__file__).resolve().parents[1] / "workflows" / "publishing_approval"
REVIEW_TASK, REWORK_TASK = "review_version", "fix_version"
DECISIONS = ("approve", "send_back", "reject")
LABEL = re.compile(r"(\d{1,4})\.(\d{1,4})")
MAX_NOTES = 4000
PUBLISHER_ROLE = "utgivare"

# The caller's scenario runner (the design tool's "Kör alla scenarier"): the names of the
# scenarios that did not pass, for the revision's files (and its id, to record the coverage).
ScenarioRunner = Callable[[dict[str, bytes], str], list[str]]


@dataclass(frozen=True)
class Proposal:
    kind: str  # "minor" | "major"
    reasons: tuple[str, ...]


def approval_version() -> str:
    """The publishing_approval process as a stored version (content-addressed: stored once)."""
    checked = package_check.load_files(engine.read_paths([APPROVAL_PROCESS]))
    return engine.store_version(checked).content_hash


def pending(program_id: str) -> DesignSubmission | None:
    """The program's submission still in the process (in review, or sent back for rework)."""
    return db.session.scalar(select(DesignSubmission).where(
        DesignSubmission.program_id == program_id, DesignSubmission.state.in_(("submitted", "sent_back")))
        .order_by(DesignSubmission.submitted_at.desc()).limit(1))


def submissions(principal, program_id: str) -> list[DesignSubmission]:
    found = store.program(principal, program_id)
    return list(db.session.scalars(select(DesignSubmission).where(DesignSubmission.program_id == found.id)
                                   .order_by(DesignSubmission.submitted_at.desc())))


def submit(principal, program_id: str, *, release_notes: str, version_label: str,
           run_scenarios: ScenarioRunner, propose: Callable | None = None,
           request_id: str | None = None) -> DesignSubmission:
    """Send the head revision for review; refused (DesignError) while it has findings, a scenario
    fails, the label is not a newer version, or a case is already in review."""
    found = store.program(principal, program_id)
    earlier = pending(found.id)
    if earlier is not None and earlier.state == "submitted":
        raise DesignError("already_in_review", "a version of this program is already in review")
    notes = (release_notes or "").strip()
    if not notes or len(notes) > MAX_NOTES:
        raise DesignError("release_notes", f"write release notes (at most {MAX_NOTES} characters)")
    files = store.files(principal, found.id)
    key, base = _program_key(files), None
    if key:
        newest = catalogue.newest(key)
        base = earlier.base_version_hash if earlier is not None else (newest.version_hash if newest else None)
    label = _checked_label(version_label, base)
    files = _labelled(principal, found, files, label)
    program_files = without_scenarios(files)  # the program as published; scenarios test it
    findings = package_check.problems_of(program_files)
    if findings:
        raise DesignError("has_problems", f"the revision has {len(findings)} problem(s) to fix first")
    failed = run_scenarios(files, found.head_revision_id)
    if failed:
        raise DesignError("scenarios_failed", "scenarios that do not pass: " + "; ".join(failed),
                          detail="; ".join(failed))
    version = engine.store_version(package_check.load_files(program_files))
    proposal = (propose or propose_change)(engine.version_files(base) if base else None, program_files)
    if _is_major_label(label, base) is False and proposal.kind == "major":
        raise DesignError("needs_major_label", "the change is major: " + "; ".join(proposal.reasons)
                          + f"; give it the version {_next_major(base)}", detail=_next_major(base))
    submission = DesignSubmission(
        program_id=found.id, revision_id=found.head_revision_id, version_hash=version.content_hash,
        base_version_hash=base, version_label=label, release_notes=notes, proposed_kind=proposal.kind,
        proposed_reason="\n".join(proposal.reasons), state="submitted", submitted_by=principal.id,
        submitted_at=clock.now())
    db.session.add(submission)
    db.session.flush()
    if earlier is not None:
        _close_rework(earlier, principal, submission)
    outcome = engine.start(approval_version(), principal.engine_actor(), unit_id=found.publisher_unit_id,
                           data={"submission_id": submission.id, "program_name": found.name,
                                 "version_label": label, "release_notes": notes})
    submission.instance_id = outcome.instance_id
    found.state = "in_review"
    audit.record(key or found.id, "submitted", principal.id, "designer", found.publisher_unit_id,
                 version.content_hash, detail=f"{label} ({proposal.kind})")
    security_log.event("design_submitted", "ok", actor_type="staff", actor_id=principal.id, subject=submission.id,
                       detail=f"{label} of design program {found.id}", request_id=request_id)
    db.session.flush()
    return submission


def without_scenarios(files: dict[str, bytes]) -> dict[str, bytes]:
    """The package as `vardflode validate` reads a folder: its scenarios are not part of the program."""
    return {name: data for name, data in files.items() if not name.startswith("scenarios/")}


def propose_change(old_files: dict[str, bytes] | None, new_files: dict[str, bytes]) -> Proposal:
    """The platform's minor/major proposal with its reasons (design/change_kind.py decides it)."""
    from design import review  # noqa: PLC0415 - review parses both versions' BPMN: only when submitting
    proposal = review.review_content(old_files, new_files).proposal
    return Proposal(proposal.kind, tuple(_reason_line(r) for r in proposal.reasons
                                         if r.major or proposal.kind == "minor"))


def _reason_line(reason) -> str:
    """A reason as a line for the record and for a refusal (the review page shows it in words)."""
    detail = ", ".join(str(d) for d in reason.detail) if reason.detail else ""
    return f"{reason.element_id}: {reason.code.replace('_', ' ')}" + (f" ({detail})" if detail else "")


def decide(principal, submission_id: str, *, decision: str, change_kind: str, comment: str,
           request_id: str | None = None) -> DesignSubmission:
    """The publisher's decision on a submission: approve (publishes), send back with a comment
    (the designer gets the rework task), or reject."""
    submission, found = _for_publisher(principal, submission_id, request_id)
    if submission.state != "submitted":
        raise DesignError("not_in_review", "this submission is not waiting for a review")
    if decision not in DECISIONS:
        raise DesignError("bad_decision", "approve, send back or reject")
    comment = (comment or "").strip()[:MAX_NOTES]
    if decision != "approve" and not comment:
        raise DesignError("comment_needed", "say why, for the designer")
    kind = _checked_kind(submission, change_kind)
    authors = frozenset(db.session.scalars(select(DesignRevision.author).where(DesignRevision.program_id == found.id)))
    if decision == "approve":  # the rules first: a refused approval leaves the case open
        approvals.check(_approval(submission, found, principal, authors, kind), request_id=request_id)
    elif principal.id == submission.submitted_by or principal.id in authors:
        _refuse_four_eyes(principal, submission, request_id)
    _complete_review(submission, principal, decision, kind, comment)
    submission.decided_by, submission.decided_at, submission.chosen_kind = principal.id, clock.now(), kind
    submission.comment = comment or None
    key = str((engine.version(submission.version_hash).meta or {}).get("id") or found.id)  # no file reads
    if decision == "approve":
        approvals.approve(_approval(submission, found, principal, authors, kind), request_id=request_id)
        submission.state, found.state = "published", "published"
    elif decision == "send_back":
        submission.state, found.state = "sent_back", "draft"
        audit.record(key, "sent_back", principal.id, PUBLISHER_ROLE, found.publisher_unit_id, submission.version_hash)
    else:
        submission.state, found.state = "rejected", "draft"
        audit.record(key, "rejected", principal.id, PUBLISHER_ROLE, found.publisher_unit_id, submission.version_hash)
    db.session.flush()
    return submission


def reviews_for(principal) -> list[DesignSubmission]:
    """The submissions waiting for a publisher of the principal's publisher units."""
    units = principal.scopes(PUBLISHER_ROLE, "publisher_unit")
    if not units:
        return []
    return list(db.session.scalars(
        select(DesignSubmission).join(DesignProgram, DesignProgram.id == DesignSubmission.program_id)
        .where(DesignSubmission.state == "submitted", DesignProgram.publisher_unit_id.in_(sorted(units)))
        .order_by(DesignSubmission.submitted_at)))


def for_review(principal, submission_id: str) -> tuple[DesignSubmission, DesignProgram]:
    """A submission a publisher of its publisher unit may open (any state: the record stays)."""
    return _for_publisher(principal, submission_id, None)


def _for_publisher(principal, submission_id: str, request_id):
    submission = db.session.get(DesignSubmission, submission_id or "")
    if submission is None:
        raise DesignError("unknown_submission", "no such submission")
    found = db.session.get(DesignProgram, submission.program_id)
    if found.publisher_unit_id not in principal.scopes(PUBLISHER_ROLE, "publisher_unit"):
        security_log.event("publishing_refused", "denied", actor_type=principal.kind, actor_id=principal.id,
                           subject=submission.id, detail="not a publisher of the program's publisher unit",
                           request_id=request_id)
        raise DesignForbidden("you are not a publisher of this program's publisher unit")
    return submission, found


def _approval(submission, found, principal, authors, kind) -> approvals.Decision:
    return approvals.Decision(
        version_hash=submission.version_hash, publisher_unit_id=found.publisher_unit_id, approver_id=principal.id,
        submitted_by=submission.submitted_by, authors=authors, release_notes=submission.release_notes,
        change_kind=kind, process_instance_id=submission.instance_id)


def _refuse_four_eyes(principal, submission, request_id):
    security_log.event("publishing_refused", "denied", actor_type="staff", actor_id=principal.id,
                       subject=submission.version_hash, detail="four_eyes: the reviewer submitted or saved the version",
                       request_id=request_id)
    raise DesignError("four_eyes", "someone who submitted or saved this draft cannot review it")


def _complete_review(submission, principal, decision, kind, comment) -> None:
    [task] = [t for t in engine.ready_tasks(submission.instance_id) if t.element_id == REVIEW_TASK]
    engine.complete_task(task.id, principal.engine_actor(), {"decision": decision, "change_kind": kind,
                                                            "review_comment": comment})


def _close_rework(earlier: DesignSubmission, principal, successor: DesignSubmission) -> None:
    """A new submission answers the rework task of the case that was sent back; that case ends."""
    for task in engine.ready_tasks(earlier.instance_id):
        if task.element_id == REWORK_TASK:
            engine.complete_task(task.id, principal.engine_actor(), {"rework_plan": f"resubmitted as {successor.id}"})
    earlier.state = "resubmitted"


def _checked_kind(submission, change_kind: str) -> str:
    """The publisher may raise minor to major, never lower it; a major change needs a major label."""
    kind = change_kind or submission.proposed_kind
    if kind not in approvals.KINDS:
        raise DesignError("bad_change_kind", "a version is a minor or a major change")
    if not change_kind_rules.may_change_kind(submission.proposed_kind, kind):
        raise DesignError("cannot_lower", "the platform found a major change; it cannot be approved as minor")
    if kind == "major" and _is_major_label(submission.version_label, submission.base_version_hash) is False:
        raise DesignError("major_needs_new_label", "a major change needs a new major version label: send it back")
    return kind


def _program_key(files: dict[str, bytes]) -> str | None:
    try:
        key = json.loads(files.get("program.json", b"{}")).get("id")
    except (ValueError, AttributeError):
        return None
    return key if isinstance(key, str) else None


def _checked_label(label: str, base: str | None) -> str:
    match = LABEL.fullmatch((label or "").strip())
    if match is None:
        raise DesignError("bad_version_label", "write the version as MAJOR.MINOR, e.g. 1.1")
    wanted = (int(match.group(1)), int(match.group(2)))
    if base is not None:
        published = _label_of(base)
        if wanted <= published:
            raise DesignError("label_not_newer", f"the version must be newer than the published {published[0]}.{published[1]}",
                              detail=f"{published[0]}.{published[1]}")
    return f"{wanted[0]}.{wanted[1]}"


def _label_of(version_hash: str) -> tuple[int, int]:
    match = LABEL.fullmatch(str((engine.version(version_hash).meta or {}).get("version") or "0.0"))
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def _is_major_label(label: str, base: str | None) -> bool | None:
    """Whether the label starts a new major version (None: nothing published yet)."""
    if base is None:
        return None
    return int(label.split(".")[0]) > _label_of(base)[0]


def _next_major(base: str | None) -> str:
    return f"{_label_of(base)[0] + 1}.0" if base else "1.0"


def _labelled(principal, found, files: dict[str, bytes], label: str) -> dict[str, bytes]:
    """The files with ``label`` in program.json; saved as a new revision when it changed, so the
    frozen revision is exactly what is reviewed and published."""
    try:
        meta = json.loads(files.get("program.json", b"{}"))
    except ValueError:
        raise DesignError("bad_program_json", "program.json cannot be read") from None
    if not isinstance(meta, dict):
        raise DesignError("bad_program_json", "program.json cannot be read")
    if meta.get("version") == label:
        return files
    meta["version"] = label
    changed = {**files, "program.json": (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode()}
    store.save(principal, found.id, changed, found.head_revision_id, principal.id, f"version {label} for review")
    return changed
