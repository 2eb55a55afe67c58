"""The front door. The public sees what Vårdflöde is and how to sign in – nothing of the engine,
no counts, no version hashes. Everyone signed in goes straight to their own start page: the
first link of their menu (a resident's steps, a clinician's task list, a log reviewer's log
search). What the engine holds is for national management only, on its own page."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template

import engine
from web.shell import navigation
from web.shell.screens import staff_with_role

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
def index():
    principal = g.get("principal")
    if principal is None:
        return render_template("home.html")
    links = navigation.items_for(principal)
    if not links:
        return render_template("home.html", nothing_here=True)
    return redirect(links[0].url)


@bp.get("/plattform")
def platform_status():
    """What the platform holds and runs, for national management: counts and published versions."""
    staff_with_role("nationell_forvaltning")
    return render_template("platform_status.html", counts=engine.counts(), programs=engine.versions())
