"""The clinician's side of purging: which ended programs wait for "transferred to the record"
(R46) and the confirmation itself; and the resident's side: when their material will be purged.
Who may confirm is access.program_policy's to decide ("confirm_journal"); the caller has checked
it and writes the PDL row. Functions flush; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

import engine
from access.models import Resident, Unit
from engine import clock
from engine.db import db
from purging import rules
from purging.models import JournalTransfer


class NotConfirmable(ValueError):
    """The program is not ended, already purged, or already confirmed."""


@dataclass(frozen=True)
class AwaitingConfirmation:
    instance_id: str
    resident_id: str
    resident: Resident  # lists name a protected identity as such (the web's resident_list_name)
    program_name: str
    ended_at: datetime
    mine: bool  # the clinician is the responsible one


@dataclass(frozen=True)
class PurgeOutlook:
    """What the resident is told: ``state`` is ``running`` (kept while it runs and ``days`` after),
    ``waiting`` (kept until the clinician has moved what matters to the record, then ``days``),
    ``on`` (purged on or after ``date``) or ``purged``."""

    state: str
    days: int = 0
    date: datetime | None = None


def _provider_of(unit_id: str | None) -> str | None:
    unit = db.session.get(Unit, unit_id) if unit_id else None
    return unit.care_provider_id if unit is not None else None


def awaiting(unit_id: str, clinician_id: str) -> list[AwaitingConfirmation]:
    """Ended programs on the clinician's unit whose rule needs the journal confirmation and that
    have none yet: the clinician's own first, then the oldest end first."""
    provider_id = _provider_of(unit_id)
    if provider_id is None:
        return []
    provider_rules = rules.rules_of(provider_id)
    programs = [p for p in engine.ended_programs([unit_id])
                if rules.rule_for(provider_rules, p.kind).needs_confirmation]
    confirmed = set(db.session.scalars(select(JournalTransfer.instance_id).where(
        JournalTransfer.instance_id.in_([p.instance_id for p in programs])))) if programs else set()
    waiting = [p for p in programs if p.instance_id not in confirmed and p.subject_id]
    people = {r.id: r for r in db.session.scalars(
        select(Resident).where(Resident.id.in_({p.subject_id for p in waiting})))} if waiting else {}
    found = [AwaitingConfirmation(p.instance_id, p.subject_id, people[p.subject_id], p.program_name,
                                  p.ended_at, p.owner_id == clinician_id) for p in waiting if p.subject_id in people]
    return sorted(found, key=lambda a: (not a.mine, a.ended_at, a.instance_id))


def confirmed_at(instance_id: str) -> datetime | None:
    return db.session.scalar(select(JournalTransfer.confirmed_at).where(JournalTransfer.instance_id == instance_id))


def confirm(instance_id: str, clinician_id: str) -> JournalTransfer:
    """Record that what matters in the ended program is in the record; once only."""
    instance = engine.instance(instance_id)
    if instance is None or instance.ended_at is None or instance.status in engine.OPEN_STATUSES:
        raise NotConfirmable("the program has not ended")
    if instance.purged_at is not None:
        raise NotConfirmable("the program's material is already purged")
    if confirmed_at(instance_id) is not None:
        raise NotConfirmable("already confirmed")
    row = JournalTransfer(instance_id=instance_id, confirmed_by=clinician_id, confirmed_at=clock.now())
    db.session.add(row)
    db.session.flush()
    return row


def outlook(instance) -> PurgeOutlook:
    """When the resident's material in ``instance`` (an engine.Instance) is purged, by the rule of
    the program's care provider and kind."""
    if instance.purged_at is not None:
        return PurgeOutlook("purged")
    provider_id = _provider_of(instance.unit_id)
    meta = engine.version(instance.version_hash).meta if provider_id else {}
    rule = rules.rule_for(rules.rules_of(provider_id), str(meta.get("kind") or "treatment")) if provider_id \
        else rules.default_rule("treatment")
    if instance.ended_at is None or instance.status in engine.OPEN_STATUSES:
        return PurgeOutlook("running", rule.days) if not rule.needs_confirmation else PurgeOutlook("waiting", rule.days)
    due = rule.due_at(instance.ended_at, confirmed_at(instance.id))
    return PurgeOutlook("waiting", rule.days) if due is None else PurgeOutlook("on", rule.days, due)


def awaits_confirmation(instance) -> bool:
    """Whether the ended program ``instance`` (an engine.Instance) waits for the clinician's
    "transferred to the record" (its rule needs it, and nobody has confirmed yet)."""
    return outlook(instance).state == "waiting" and instance.ended_at is not None \
        and instance.status not in engine.OPEN_STATUSES
