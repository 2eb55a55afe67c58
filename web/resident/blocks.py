"""The resident's spärrar (PDL 4 kap. 4 §): block their data at a unit from the other units of the
same care provider, and lift the block again. Only the units they have or had a program on."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for
from sqlalchemy import select

import engine
from access import blocks, policy
from access.models import Unit
from engine.db import db
from web.shell.screens import not_found, signed_in_resident

bp = Blueprint("resident_blocks", __name__, template_folder="templates")


@bp.get("/mina-sparrar")
def page():
    # A child signs in for one program; spärrar are the resident's own decision.
    principal = signed_in_resident(kinds=("resident",))
    policy.read_resident(principal, principal.id, resource_type="own_blocks", request_id=g.request_id)
    placed = blocks.blocks_of(principal.id)
    units = [(unit, unit.id in placed) for unit in _units(principal.id)]
    return render_template("resident/blocks.html", units=units)


@bp.post("/mina-sparrar/<unit_id>/sparra")
def place(unit_id: str):
    principal = signed_in_resident(kinds=("resident",))
    blocks.place(principal, _own_unit(principal, unit_id), g.request_id)
    return redirect(url_for("resident_blocks.page"))


@bp.post("/mina-sparrar/<unit_id>/hav")
def lift(unit_id: str):
    principal = signed_in_resident(kinds=("resident",))
    blocks.lift(principal, _own_unit(principal, unit_id), g.request_id)
    return redirect(url_for("resident_blocks.page"))


def _units(resident_id: str) -> list[Unit]:
    ids = sorted(engine.units_of(resident_id))
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.name))) if ids else []


def _own_unit(principal, unit_id: str) -> str:
    """A unit the resident has or had a program on; any other is a 404."""
    if unit_id not in engine.units_of(principal.id):
        not_found(principal, f"block at unit {unit_id[:64]}")
    return unit_id
