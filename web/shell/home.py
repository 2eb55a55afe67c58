"""The front page: shows that the platform is up and what it holds (no personal data)."""
from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select

from engine.db import db
from engine.models import HumanTask, ProcessInstance, ProgramVersion, Timer

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
def index():
    counts = {
        "versions": db.session.scalar(select(func.count()).select_from(ProgramVersion)),
        "instances": db.session.scalar(select(func.count()).select_from(ProcessInstance)),
        "tasks": db.session.scalar(select(func.count()).select_from(HumanTask)),
        "timers": db.session.scalar(select(func.count()).select_from(Timer)),
    }
    programs = db.session.scalars(select(ProgramVersion).order_by(ProgramVersion.name)).all()
    return render_template("home.html", counts=counts, programs=programs)
