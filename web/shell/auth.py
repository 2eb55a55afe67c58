"""Sign-in and sign-out: staff (password, then TOTP, then the assignment to work under),
residents (e-ID provider), children (one-time code). Rate limits and lockout on every step."""
from __future__ import annotations

import math
from datetime import timedelta

from flask import (Blueprint, abort, current_app, g, make_response, redirect, render_template, request,
                   session as flask_session, url_for)
from flask_babel import gettext as _, ngettext

from access import childcodes, ratelimit, security_log, sessions
from access.models import Assignment, Staff
from access.principal import valid_assignments
from engine.db import db
from web.shell.session_hook import clear_cookie, client_key, current_token, set_cookie

bp = Blueprint("auth", __name__, template_folder="templates")

WINDOW = timedelta(minutes=15)
PER_ADDRESS = 30  # failed attempts per address and window, all sign-in endpoints together
PER_ACCOUNT = 5  # failed passwords per account and window before the account's waits begin
FIRST_WAIT = timedelta(seconds=30)  # after the fifth failure; doubles with each one after it
LONGEST_WAIT = WINDOW
PER_TOTP = 5  # wrong codes per account and window; only someone who knew the password gets here


def _providers():
    return current_app.extensions["vardflode_auth"]


def _address_key() -> str:
    return f"signin:ip:{client_key()}"


def _address_allowed() -> bool:
    """Only failures count against the address: a clinic behind one NAT address signs in all day."""
    if not ratelimit.blocked(_address_key(), PER_ADDRESS, WINDOW):
        return True
    security_log.event("rate_limited", "denied", detail=request.endpoint, request_id=g.request_id)
    return False


def _address_failed() -> None:
    """Count a failed attempt against the address (before the request writes anything)."""
    ratelimit.hit(_address_key(), PER_ADDRESS, WINDOW)


def _account_key(staff: Staff | None, identifier: str) -> str:
    """Failures count per account, however it was named (HSA-id or e-mail, any letter case);
    per typed text only when it names nobody."""
    if staff is not None:
        return f"signin:staff:{staff.id}"
    return f"signin:unknown:{identifier.lower()[:150]}"


def _who(staff: Staff | None, identifier: str) -> dict:
    """The security event's actor: the account when the text named one, else the text itself."""
    if staff is not None:
        return {"actor_type": "staff", "actor_id": staff.id}
    return {"subject": identifier[:64]}


def _continue_with_session(actor_type: str, actor_id: str, method: str, event: str, target: str, **session):
    """Every sign-in step ends the same way: a new session (never the old id), a security event,
    and a redirect that carries the new cookie (committed with it, web.shell.transaction)."""
    token = sessions.start(actor_type, actor_id, method, replacing=current_token(), **session)
    flask_session.pop("csrf_token", None)  # a new CSRF secret for the new session (no fixation)
    security_log.event(event, "ok", actor_type=actor_type, actor_id=actor_id, request_id=g.request_id)
    response = redirect(target)
    set_cookie(response, token)
    return response


def _too_many(template: str, **context):
    return render_template(template, error=_("Too many attempts. Wait a while and try again."), **context), 429


def _wait(template: str, wait: timedelta, **context):
    seconds = max(1, math.ceil(wait.total_seconds()))
    error = ngettext("Too many attempts. Wait %(num)d second and try again.",
                     "Too many attempts. Wait %(num)d seconds and try again.", seconds)
    response = make_response(render_template(template, error=error, **context), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.route("/logga-in/medarbetare", methods=["GET", "POST"])
def staff_login():
    if request.method == "GET":
        return render_template("auth/staff_login.html")
    if not _address_allowed():
        return _too_many("auth/staff_login.html")
    identifier = request.form.get("identifier", "").strip()
    provider = _providers().staff
    staff = provider.account_for(identifier)
    account_key = _account_key(staff, identifier)
    # A wait, not a lock: whoever fails an account's password five times buys it a wait that
    # doubles with each further failure, and nothing more (ACCESS.md, "Sign-in").
    wait = ratelimit.wait_left(account_key, WINDOW, free=PER_ACCOUNT, first=FIRST_WAIT, longest=LONGEST_WAIT)
    if wait:
        _address_failed()
        security_log.event("signin_locked", "denied", detail=f"wait {math.ceil(wait.total_seconds())} s",
                           request_id=g.request_id, **_who(staff, identifier))
        return _wait("auth/staff_login.html", wait, identifier=identifier)
    if not provider.password_matches(staff, request.form.get("password", "")):
        ratelimit.hit(account_key, PER_ACCOUNT, WINDOW)
        _address_failed()
        security_log.event("signin_password", "denied", request_id=g.request_id, **_who(staff, identifier))
        return render_template("auth/staff_login.html", identifier=identifier,
                               error=_("The HSA-id or e-mail and password do not match.")), 401
    return _continue_with_session("staff", staff.id, provider.method, "signin_password",
                                  url_for("auth.staff_totp"), pending_step="totp")


@bp.route("/logga-in/medarbetare/kod", methods=["GET", "POST"])
def staff_totp():
    pending = sessions.find(current_token(), pending_ok=True)
    if pending is None or pending.pending_step != "totp":
        return redirect(url_for("auth.staff_login"))
    if request.method == "GET":
        return render_template("auth/staff_totp.html")
    staff = db.session.get(Staff, pending.actor_id)
    account_key = f"signin:totp:{staff.id}"
    if not _address_allowed() or ratelimit.blocked(account_key, PER_TOTP, WINDOW):
        return _too_many("auth/staff_totp.html")
    if not _providers().staff.check_second_factor(staff, request.form.get("code", "")):
        ratelimit.hit(account_key, PER_TOTP, WINDOW)
        _address_failed()
        security_log.event("signin_totp", "denied", actor_type="staff", actor_id=staff.id, request_id=g.request_id)
        return render_template("auth/staff_totp.html", error=_("The code is wrong or has already been used.")), 401
    ratelimit.clear(account_key)
    ratelimit.clear(_account_key(staff, staff.hsa_id))
    return _after_second_factor(staff, pending)


def _after_second_factor(staff: Staff, pending):
    assignments = valid_assignments(staff.id)
    if len(assignments) > 1:
        return _continue_with_session("staff", staff.id, pending.auth_method, "signin_totp",
                                      url_for("auth.staff_assignment"), pending_step="assignment")
    return _continue_with_session("staff", staff.id, pending.auth_method, "signin", url_for("home.index"),
                                  assignment_id=assignments[0].id if assignments else None)


@bp.route("/logga-in/medarbetare/uppdrag", methods=["GET", "POST"])
def staff_assignment():
    pending = sessions.find(current_token(), pending_ok=True)
    if pending is None or pending.pending_step != "assignment":
        return redirect(url_for("auth.staff_login"))
    choices = valid_assignments(pending.actor_id)
    if request.method == "GET":
        return render_template("auth/staff_assignment.html", assignments=choices)
    chosen = db.session.get(Assignment, request.form.get("assignment", ""))
    if chosen is None or chosen.id not in {a.id for a in choices}:
        return render_template("auth/staff_assignment.html", assignments=choices,
                               error=_("Choose one of your assignments.")), 400
    return _continue_with_session("staff", pending.actor_id, pending.auth_method, "signin", url_for("home.index"),
                                  assignment_id=chosen.id)


@bp.route("/logga-in/invanare", methods=["GET", "POST"])
def resident_login():
    provider = _providers().resident
    if request.method == "GET":
        return render_template("auth/resident_login.html", identities=provider.identities(),
                               development=getattr(provider, "development_only", False))
    if not _address_allowed():
        return _too_many("auth/resident_login.html", identities=[])
    resident = provider.resident_for(request.form.get("identity", ""))
    if resident is None:
        _address_failed()
        abort(400)
    return _continue_with_session("resident", resident.id, provider.method, "signin", url_for("home.index"))


@bp.route("/logga-in/barn", methods=["GET", "POST"])
def child_login():
    if request.method == "GET":
        return render_template("auth/child_login.html")
    if not _address_allowed():
        return _too_many("auth/child_login.html")
    code = childcodes.redeem(request.form.get("code", ""))
    if code is None:
        _address_failed()  # before the code's own wrong-try count is flushed: it takes the write lock
        security_log.event("signin_child_code", "denied", request_id=g.request_id)
        return render_template("auth/child_login.html", error=_("The code is wrong, used or too old.")), 401
    # The code opens the program it was issued for and nothing else of the child's (R43).
    return _continue_with_session("child", code.resident_id, "child_code", "signin_child_code",
                                  url_for("home.index"), scope_instance_id=code.instance_id)


@bp.post("/logga-ut")
def logout():
    principal = getattr(g, "principal", None)
    sessions.end(current_token())
    if principal is not None:
        security_log.event("signout", "ok", actor_type=principal.kind, actor_id=principal.id, request_id=g.request_id)
    response = redirect(url_for("home.index"))
    clear_cookie(response)
    return response
