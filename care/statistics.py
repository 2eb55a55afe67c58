"""Programs started and finished per unit, program and ISO week, for a care provider's
statistics. Counts only – no resident, no answers – and never test runs or another provider's
units.

A row is ``unit_hsa_id``, ``unit_name``, ``program``, ``iso_week`` (YYYY-Www, Swedish time),
``started`` (instances created that week), ``finished`` (instances that ended that week,
completed, cancelled, or ended early by the clinician), ``completed`` (of those, ran to their end)."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select

import engine
from access.models import Unit
from engine.db import db

COLUMNS = ["unit_hsa_id", "unit_name", "program", "iso_week", "started", "finished", "completed"]


def rows(provider_id: str) -> list[list]:
    """Count the provider's programs per unit, program and week, in that order (see COLUMNS)."""
    units = {unit.id: unit for unit in db.session.scalars(select(Unit).where(Unit.care_provider_id == provider_id))}
    started, finished, completed = Counter(), Counter(), Counter()
    for instance in engine.instances_on_units(units):
        unit = units[instance.unit_id]
        started[(unit.hsa_id, unit.name, instance.program_name, iso_week(instance.created_at))] += 1
        if instance.ended_at is not None:
            key = (unit.hsa_id, unit.name, instance.program_name, iso_week(instance.ended_at))
            finished[key] += 1
            completed[key] += instance.status == "completed"
    keys = sorted(set(started) | set(finished))
    return [[*key, started[key], finished[key], completed[key]] for key in keys]


def iso_week(moment) -> str:
    """The ISO week ``moment`` falls in, in Swedish time, as YYYY-Www."""
    year, week, _ = moment.astimezone(engine.clock.SWEDEN).isocalendar()
    return f"{year}-W{week:02d}"
