"""One purge run of one care provider, in batches (R45, R47).

``begin`` lists what will go (the programs whose rule says they are due), ``purge_batch`` purges
the next batch (one transaction each: the caller commits between batches, so no row is held for
longer than one batch, and live instances are never locked at all), ``finish`` purges the PDL
log's entries past their retention and writes the run's report. A second run finds nothing due
and says so (``counts["programs"] == 0``).

What goes per program: the engine's state and task data (engine.purge_instances: the instance
row becomes a tombstone) and, once the resident has no unpurged program left on the unit, the
conversation with the unit up to the program's end. What stays: the history without health data,
the tombstone, the clinician's journal confirmation, the security log, the PDL log younger than
its retention. Functions flush; the caller commits."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

import engine
from access import pdl, security_log
from access.models import Unit
from engine import clock
from engine.db import db
from messaging.models import Message
from purging import rules
from purging.models import JournalTransfer, PurgeRun

BATCH = 200
# After a batch that took t seconds the next one starts PACE × t later, so a long purge takes at
# most a third of one core's time and live work (task lists, completions) keeps its pace.
PACE = 2.0
MIN_PDL_YEARS = 5  # HSLF-FS 2016:40 4 kap. 9 §: access logs are kept at least five years
COUNTED = ("programs", "tasks", "timers", "waits", "messages", "pdl_entries")


def rest_after(batch_seconds: float) -> float:
    """How long to wait before the next batch, after one that took ``batch_seconds``."""
    return max(0.0, batch_seconds) * PACE


def provider_units(provider_id: str) -> list[str]:
    """Every unit of the provider, active or not: an ended program on a closed unit is purged too."""
    return list(db.session.scalars(select(Unit.id).where(Unit.care_provider_id == provider_id)))


def confirmations(instance_ids) -> dict[str, datetime]:
    ids = sorted(set(instance_ids))
    if not ids:
        return {}
    found = {}
    for start in range(0, len(ids), 500):  # well below every database's limit on bound values
        found.update(db.session.execute(select(JournalTransfer.instance_id, JournalTransfer.confirmed_at)
                                        .where(JournalTransfer.instance_id.in_(ids[start:start + 500]))).tuples().all())
    return found


def due(programs, provider_rules, now: datetime) -> list:
    """Of ``programs`` (engine.EndedProgram), those the provider's rules say may go now."""
    confirmed = confirmations(p.instance_id for p in programs)
    found = []
    for program in programs:
        at = rules.rule_for(provider_rules, program.kind).due_at(program.ended_at, confirmed.get(program.instance_id))
        if at is not None and at <= now:
            found.append(program)
    return found


def due_programs(provider_id: str, now: datetime | None = None) -> list:
    """Every program of the provider that is due for purging now (what a run will remove)."""
    now = now or clock.now()
    return due(engine.ended_programs(provider_units(provider_id)), rules.rules_of(provider_id), now)


def begin(run: PurgeRun) -> PurgeRun:
    """Start purging: list what will go (its count is the report's "planned")."""
    if run.state != "planned":
        return run
    run.state, run.started_at, run.cursor, run.batches = "purging", clock.now(), "", 0
    run.planned = len(due_programs(run.care_provider_id, run.started_at))
    run.counts = {name: 0 for name in COUNTED}
    db.session.flush()
    return run


def locked_run(run_id: str) -> PurgeRun | None:
    return db.session.scalar(select(PurgeRun).where(PurgeRun.id == run_id).with_for_update())


def purge_batch(run: PurgeRun, batch_size: int = BATCH) -> bool:
    """Purge the run's next batch; True if there may be more. The run row is locked by the
    caller (``locked_run``), so two deliveries of the same batch take turns."""
    if run.state != "purging":
        return False
    units = provider_units(run.care_provider_id)
    provider_rules = rules.rules_of(run.care_provider_id)
    now, chosen, cursor, more = clock.now(), [], run.cursor or "", True
    while more and len(chosen) < batch_size:
        looked = engine.ended_programs(units, after_id=cursor, limit=batch_size)
        due_ids = {p.instance_id for p in due(looked, provider_rules, now)}
        for program in looked:
            cursor = program.instance_id
            if program.instance_id in due_ids:
                chosen.append(program)
                if len(chosen) >= batch_size:
                    break
        else:
            more = len(looked) >= batch_size
    counts = engine.purge_instances([p.instance_id for p in chosen])
    counts["messages"] = _purge_conversations(chosen)
    totals = dict(run.counts or {})
    for name, value in counts.items():
        totals[name] = totals.get(name, 0) + value
    run.counts, run.cursor, run.batches = totals, cursor, run.batches + 1
    db.session.flush()
    return more


def _purge_conversations(programs) -> int:
    """A resident's messages with a unit go when their last program there is purged: those
    written up to that program's end (a later conversation is someone else's working material)."""
    latest: dict[tuple[str, str], datetime] = {}
    for p in programs:
        if p.subject_id and p.unit_id:
            key = (p.subject_id, p.unit_id)
            latest[key] = max(latest.get(key, p.ended_at), p.ended_at)
    if not latest:
        return 0
    # One look for the pairs that have any message at all: most purged programs' residents wrote.
    written = set(db.session.execute(select(Message.resident_id, Message.unit_id).distinct().where(
        Message.resident_id.in_(sorted({r for r, _ in latest})))).tuples().all()) & set(latest)
    gone = 0
    for (resident_id, unit_id) in sorted(written - engine.still_held(written)):
        gone += db.session.execute(delete(Message).where(
            Message.resident_id == resident_id, Message.unit_id == unit_id,
            Message.created_at <= latest[(resident_id, unit_id)])).rowcount or 0
    return gone


def finish(run: PurgeRun, pdl_years: int = MIN_PDL_YEARS) -> PurgeRun:
    """Purge the provider's PDL entries older than ``pdl_years`` and write the report."""
    if run.state != "purging":
        return run
    totals = dict(run.counts or {})
    totals["pdl_entries"] = totals.get("pdl_entries", 0) + purge_pdl(run.care_provider_id, pdl_years)
    run.counts, run.state, run.finished_at = totals, "done", clock.now()
    security_log.event("purge_run", "ok", actor_type="system", subject=run.care_provider_id,
                       detail=f"{run.id}: {totals.get('programs', 0)} programs")
    db.session.flush()
    return run


def purge_pdl(provider_id: str, years: int) -> int:
    """The PDL entries older than ``years`` (at least five). The log is one chain for the whole
    platform, so what goes is its start, whoever's entries they are (access/pdl.py
    ``remove_past_retention``, which keeps the chain verifiable); any provider's run may take it,
    and a second run the same night finds nothing left. ``provider_id`` is kept for the report."""
    years = max(int(years), MIN_PDL_YEARS)
    return pdl.remove_past_retention(clock.now() - timedelta(days=365 * years + years // 4))


def run_through(run: PurgeRun, pdl_years: int = MIN_PDL_YEARS, batch_size: int = BATCH, commit=None) -> PurgeRun:
    """A whole run in this process (the command line and tests): ``commit`` between batches."""
    begin(run)
    while purge_batch(run, batch_size):
        if commit:
            commit()
    finish(run, pdl_years)
    return run
