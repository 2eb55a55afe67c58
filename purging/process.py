"""The purge as a process: one instance of the shipped ``purge`` process per run and care
provider. It waits on its timer until the night's run time, then the platform lists and purges
in batches (the timer actor calls ``after_timer``; the batch actor calls ``purge.purge_batch``
until none is left, then ``finish_run``), the instance hears "all batches purged"
(``vardflode.action.purge_done``) and records that the report is written. Finishing a run plans
the provider's next one, and the scheduler's hourly ``ensure_planned`` plans one for every
active provider that has none, so a new provider is purged too and a lost run is replaced.

The process carries the provider's id and the wait only, never what is purged. Functions flush;
the caller commits."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

import engine
from access.models import CareProvider
from engine import clock
from engine.db import db
from purging import purge
from purging.models import PurgeRun

PROCESS = Path(__file__).resolve().parents[1] / "workflows" / "purge"
TIMER = "wait_for_run"
DONE_ACTION = "purge_done"
RUN_AT = time(2, 0)  # the night's run, in UTC: when the clinics are quiet
OPEN_STATES = ("planned", "purging")


def process_version() -> str:
    import forms
    files = engine.read_paths([PROCESS])
    return engine.store_version(engine.check_package(files, builtin_forms=forms.builtin_form_names())).content_hash


def next_run_at(now: datetime) -> datetime:
    at = datetime.combine(now.date(), RUN_AT, tzinfo=now.tzinfo)
    return at if at > now else at + timedelta(days=1)


def plan(provider_id: str, due_at: datetime | None = None) -> PurgeRun:
    """Start the provider's next run: the process waits on its timer until ``due_at``."""
    now = clock.now()
    due_at = due_at or next_run_at(now)
    run = PurgeRun(care_provider_id=provider_id, state="planned", due_at=due_at, counts={}, planned=0,
                   batches=0, cursor="")
    db.session.add(run)
    db.session.flush()
    seconds = max(1, int((due_at - now).total_seconds()))
    outcome = engine.start(process_version(), engine.SYSTEM, unit_id=run.id,
                           data={"provider_id": provider_id, "wait": f"PT{seconds}S"})
    run.instance_id = outcome.instance_id
    db.session.flush()
    return run


def open_run(provider_id: str) -> PurgeRun | None:
    return db.session.scalar(select(PurgeRun).where(PurgeRun.care_provider_id == provider_id,
                                                    PurgeRun.state.in_(OPEN_STATES)).limit(1))


def ensure_planned() -> tuple[list[str], list[str]]:
    """Plan a run for every active provider without an open one; returns (the new runs' ids, the
    ids of runs that are purging, whose next batch the caller sends again: a lost wake-up costs
    nothing, a batch is idempotent)."""
    planned = []
    for provider_id in db.session.scalars(select(CareProvider.id).where(CareProvider.active.is_(True))
                                          .order_by(CareProvider.id)):
        # Two schedulers may look at once: the provider's row is locked first, so one plans.
        db.session.execute(select(CareProvider.id).where(CareProvider.id == provider_id).with_for_update())
        if open_run(provider_id) is None:
            planned.append(plan(provider_id).id)
    purging = list(db.session.scalars(select(PurgeRun.id).where(PurgeRun.state == "purging")))
    return planned, purging


def after_timer(instance_id: str) -> list[str]:
    """The run to purge now, when the instance is a planned run whose timer has fired (none for
    other instances)."""
    run = db.session.scalar(select(PurgeRun).where(PurgeRun.instance_id == instance_id))
    if run is None or run.state != "planned":
        return []
    if not any(e.kind == "timer_fired" and e.element_id == TIMER for e in engine.history(instance_id)):
        return []
    purge.begin(run)
    return [run.id]


def finish_run(run: PurgeRun, pdl_years: int) -> PurgeRun | None:
    """The last batch is done: PDL retention, the report, the process told; then the provider's
    next run is planned (if the provider is still active). Returns the next run."""
    if run.state != "purging":
        return None
    purge.finish(run, pdl_years)
    if run.instance_id:
        engine.send_to(run.instance_id, "message", engine.ACTION_PREFIX + DONE_ACTION)
    provider = db.session.get(CareProvider, run.care_provider_id)
    if provider is None or not provider.active or open_run(provider.id) is not None:
        return None
    return plan(provider.id)


def run_now(provider_id: str, pdl_years: int = purge.MIN_PDL_YEARS, batch_size: int = purge.BATCH,
            commit=None) -> PurgeRun:
    """A whole run at once, outside the nightly process (the command line, tests, the benchmark):
    listed, purged batch by batch (``commit`` between) and reported like a nightly one."""
    run = PurgeRun(care_provider_id=provider_id, state="planned", due_at=clock.now(), counts={}, planned=0,
                   batches=0, cursor="")
    db.session.add(run)
    db.session.flush()
    purge.begin(run)
    while purge.purge_batch(run, batch_size):
        if commit:
            commit()
    purge.finish(run, pdl_years)
    return run


def reports(provider_id: str, limit: int = 50) -> list[PurgeRun]:
    """The provider's finished runs, newest first: the report per run."""
    return list(db.session.scalars(select(PurgeRun).where(PurgeRun.care_provider_id == provider_id,
                                                          PurgeRun.state == "done")
                                   .order_by(PurgeRun.finished_at.desc()).limit(limit)))
