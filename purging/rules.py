"""The care provider's purge rule per program kind (program.json "kind"): is the clinician's
confirmation that the essentials are in the record needed first (R46), and how many days after
the end the working material is kept. The rule is data, edited by the care provider
administrator; a kind without a row has the default below. Functions flush; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from engine import clock
from engine.db import db
from purging.models import PurgeRule

# A treatment program's essentials go to the record first; self-help and education need not.
DEFAULTS = {"treatment": (True, 30), "education": (False, 90)}
OTHER_DEFAULT = (False, 90)
KINDS = ("treatment", "education")
MAX_DAYS = 3650


class RuleError(ValueError):
    """A rule that cannot be saved; ``field`` names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Rule:
    program_kind: str
    needs_confirmation: bool
    days: int
    is_default: bool = False

    def due_at(self, ended_at: datetime, confirmed_at: datetime | None) -> datetime | None:
        """When a program ended at ``ended_at`` may be purged; None while it waits for the
        clinician's confirmation."""
        if self.needs_confirmation and confirmed_at is None:
            return None
        due = ended_at + timedelta(days=self.days)
        return max(due, confirmed_at) if confirmed_at is not None else due


def default_rule(kind: str) -> Rule:
    needs, days = DEFAULTS.get(kind, OTHER_DEFAULT)
    return Rule(kind, needs, days, is_default=True)


def rules_of(provider_id: str) -> dict[str, Rule]:
    """Every kind's rule at the provider: the known kinds always, and any kind with a row."""
    found = {kind: default_rule(kind) for kind in KINDS}
    for row in db.session.scalars(select(PurgeRule).where(PurgeRule.care_provider_id == provider_id)):
        found[row.program_kind] = Rule(row.program_kind, row.needs_confirmation, row.days)
    return found


def rule_for(rules: dict[str, Rule], kind: str) -> Rule:
    return rules.get(kind) or default_rule(kind)


def save(provider_id: str, kind: str, needs_confirmation: bool, days, actor_id: str) -> Rule:
    """Set the provider's rule for ``kind``; refuses a kind or a number of days that is not one."""
    if kind not in KINDS:
        raise RuleError("program_kind", "choose one of the program kinds")
    try:
        days = int(str(days).strip())
    except ValueError:
        raise RuleError("days", "give the number of days as a whole number") from None
    if not 0 <= days <= MAX_DAYS:
        raise RuleError("days", f"the number of days must be between 0 and {MAX_DAYS}")
    row = db.session.scalar(select(PurgeRule).where(PurgeRule.care_provider_id == provider_id,
                                                    PurgeRule.program_kind == kind))
    if row is None:
        row = PurgeRule(care_provider_id=provider_id, program_kind=kind)
        db.session.add(row)
    row.needs_confirmation, row.days = bool(needs_confirmation), days
    row.updated_by, row.updated_at = actor_id, clock.now()
    db.session.flush()
    return Rule(kind, row.needs_confirmation, row.days)
