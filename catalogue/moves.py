"""Moving a unit's running programs onto a newer version (issue 12): plan, then move.

The version moved to is the one new starts use on the unit (``version_for_new_start``): a newer
minor version is that by itself once published; a newer major version after the administrator
upgraded the unit's activation. So the running programs follow the unit, never ahead of it.

Unlike the rest of the platform, ``move_unit`` commits: each instance moves in its own transaction
(row lock, state, index rows, history event ``moved``, a PDL row 'update' of the resident's program),
so an instance that cannot move is rolled back alone and listed with its reasons, and no instance's
lock is held while the next ones move. The caller must have nothing uncommitted when it calls.
One security event records the run. Who may move was decided by the caller: the care provider's
administrator (vardgivaradmin) of the unit's care provider; ``ctx.care_provider_id`` is checked here
again.
"""
from __future__ import annotations

from dataclasses import dataclass

import engine
from access import pdl, security_log
from access.models import Unit
from catalogue.activation import active, version_for_new_start
from catalogue import audit
from catalogue.errors import CatalogueError
from catalogue.models import CatalogueEntry
from engine.db import db


@dataclass(frozen=True)
class UnitPlan:
    unit_id: str
    program_key: str
    from_entry: CatalogueEntry
    to_entry: CatalogueEntry
    instances: tuple[engine.MovePlan, ...]

    @property
    def movable(self) -> int:
        return sum(1 for p in self.instances if p.can_move)


@dataclass(frozen=True)
class MoveResult:
    moved: tuple[engine.MovePlan, ...]
    refused: tuple[engine.MovePlan, ...]  # with their blockers; left untouched


def target(program_key: str, unit_id: str, from_version: str) -> tuple[CatalogueEntry, CatalogueEntry]:
    """The catalogue entries moved from and to; CatalogueError when there is nothing to move to."""
    if active(program_key, unit_id) is None:
        raise CatalogueError("not_active", "the program is not active on this unit")
    source = db.session.get(CatalogueEntry, from_version)
    if source is None or source.program_key != program_key:
        raise CatalogueError("unknown_version", "no such version of this program in the catalogue")
    to_hash = version_for_new_start(program_key, unit_id)
    if to_hash == from_version:
        raise CatalogueError("already_newest", "the unit's new starts use this version already")
    return source, db.session.get(CatalogueEntry, to_hash)


def plan_unit(program_key: str, unit_id: str, from_version: str) -> UnitPlan:
    """Per running instance of ``from_version`` on the unit: can it move, why not, where it stands."""
    source, goal = target(program_key, unit_id, from_version)
    ids = engine.instances_to_move(from_version, unit_id)
    plans = engine.plan_move(ids, goal.version_hash) if ids else []
    return UnitPlan(unit_id, program_key, source, goal, tuple(plans))


def move_unit(program_key: str, unit_id: str, from_version: str, ctx: pdl.AccessContext) -> MoveResult:
    """Move every instance that can; one transaction (commit) per instance."""
    _check_provider(unit_id, ctx)
    source, goal = target(program_key, unit_id, from_version)
    actor = engine.Actor(ctx.actor_id, frozenset({("vardgivaradmin", unit_id)}))
    ids = engine.instances_to_move(from_version, unit_id)
    db.session.commit()  # end the read transaction: each move below is a transaction of its own
    moved, refused = [], []
    for instance_id in ids:
        try:
            result = engine.move_instance(instance_id, goal.version_hash, actor)
            pdl.record(ctx, action="update", resource_type="process_instance", resource_id=instance_id,
                       resident_id=result.subject_id)
            db.session.commit()
            moved.append(result)
        except engine.EngineError as err:
            db.session.rollback()
            refused.append(_refusal(instance_id, goal.version_hash, err))
    if moved:
        audit.record(program_key, "moved", ctx.actor_id, "vardgivaradmin", unit_id, goal.version_hash,
                     f"{source.version_label} -> {goal.version_label}: {len(moved)} moved, {len(refused)} refused")
    security_log.event("program_instances_moved", "ok", actor_type="staff", actor_id=ctx.actor_id,
                       subject=unit_id, request_id=ctx.request_id,
                       detail=(f"{program_key} {source.version_label} -> {goal.version_label}: "
                               f"{len(moved)} moved, {len(refused)} refused")[:300])
    db.session.commit()
    return MoveResult(tuple(moved), tuple(refused))


def _refusal(instance_id: str, to_version: str, err: Exception) -> engine.MovePlan:
    """The instance as it stands (the move rolled back), with why it did not move."""
    plan, = engine.plan_move([instance_id], to_version)
    if plan.blockers:
        return plan
    # Not a reason the plan sees (a lost race with another writer): say so without details.
    return engine.MovePlan(**{**plan.__dict__, "blockers": (engine.MoveBlocker("conflict"),), "after": ()})


def _check_provider(unit_id: str, ctx: pdl.AccessContext) -> None:
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.care_provider_id != ctx.care_provider_id:
        raise CatalogueError("unknown_unit", "choose a unit of your own care provider")
