"""The front door. The public sees what Vårdflöde is and how to sign in – nothing of the engine,
no counts, no version hashes. Everyone signed in goes straight to their own start page: the
first link of their menu (a resident's steps, a clinician's task list, a log reviewer's log
search). What the engine holds is for national management only, on its own page."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

import engine
from access import security_log
from web.shell import democlock, navigation
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
    return render_template("platform_status.html", counts=engine.counts(), programs=engine.versions(),
                           demo_clock=democlock.enabled())


DEMO_CLOCK_STEPS = {"day": timedelta(days=1), "week": timedelta(weeks=1)}


@bp.route("/plattform/klocka", methods=["GET", "POST"])
def demo_clock():
    """The demo only (VARDFLODE_DEMO_CLOCK): national management moves the platform's clock a day
    or a week forward; the scheduler then fires the timers that fell due, as time would have."""
    if not democlock.enabled():
        abort(404)  # no such page outside the demo
    principal = staff_with_role("nationell_forvaltning")
    if request.method == "POST":
        step = DEMO_CLOCK_STEPS.get(request.form.get("step", ""))
        if step is None:
            abort(400)
        ahead = engine.democlock.move(step, principal.id)
        security_log.event("demo_clock_moved", "ok", actor_type="staff", actor_id=principal.id,
                           subject=request.form["step"], detail=f"ahead {ahead.days} days",
                           request_id=g.request_id)
        return redirect(url_for("home.demo_clock", moved=request.form["step"]))
    ahead = engine.clock.demo_offset()
    return render_template("demo_clock.html", demo_now=engine.clock.now().astimezone(engine.clock.SWEDEN),
                           real_now=engine.clock.wall().astimezone(engine.clock.SWEDEN),
                           days=ahead.days, moved=request.args.get("moved") in DEMO_CLOCK_STEPS)
