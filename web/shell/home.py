"""The front page: shows that the platform is up and what it holds (no personal data)."""
from __future__ import annotations

from flask import Blueprint, render_template

import engine

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
def index():
    return render_template("home.html", counts=engine.counts(), programs=engine.versions())
