"""Sign-in and sign-out: staff (password, then TOTP, then the assignment to work under),
residents (e-ID provider), children (one-time code). Rate limits and lockout on every step."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from access import childcodes, ratelimit, security_log, sessions
from access.models import Assignment, Staff
from access.principal import valid_assignments
from engine.db import db
from web.shell.session_hook import clear_cookie, client_key, current_token, set_cookie

bp = Blueprint("auth", __name__, template_folder="templates")

WINDOW = timedelta(minutes=15)
PER_ADDRESS = 30  # attempts per address and window, all sign-in endpoints together
PER_ACCOUNT = 5  # failed attempts per account before it is locked for the window


def _providers():
    return current_app.extensions["vardflode_auth"]


def _address_allowed() -> bool:
    if ratelimit.hit(f"signin:ip:{client_key()}", PER_ADDRESS, WINDOW):
        return True
    security_log.event("rate_limited", "denied", detail=request.endpoint, request_id=g.request_id)
    return False


def _continue_with_session(actor_type: str, actor_id: str, method: str, event: str, target: str, **session):
    """Every sign-in step ends the same way: a new session (never the old id), a security event,
    and a redirect that carries the new cookie (committed with it, web.shell.transaction)."""
    token = sessions.start(actor_type, actor_id, method, replacing=current_token(), **session)
    security_log.event(event, "ok", actor_type=actor_type, actor_id=actor_id, request_id=g.request_id)
    response = redirect(target)
    set_cookie(response, token)
    return response


def _too_many(template: str, **context):
    return render_template(template, error=_("Too many attempts. Wait a while and try again."), **context), 429


@bp.route("/logga-in/medarbetare", methods=["GET", "POST"])
def staff_login():
    if request.method == "GET":
        return render_template("auth/staff_login.html")
    if not _address_allowed():
        return _too_many("auth/staff_login.html")
    identifier = request.form.get("identifier", "").strip()
    account_key = f"signin:account:{identifier.lower()}"
    if ratelimit.blocked(account_key, PER_ACCOUNT, WINDOW):
        security_log.event("signin_locked", "denied", subject=identifier[:64], request_id=g.request_id)
        return _too_many("auth/staff_login.html", identifier=identifier)
    staff = _providers().staff.check_password(identifier, request.form.get("password", ""))
    if staff is None:
        ratelimit.hit(account_key, PER_ACCOUNT, WINDOW)
        security_log.event("signin_password", "denied", subject=identifier[:64], request_id=g.request_id)
        return render_template("auth/staff_login.html", identifier=identifier,
                               error=_("The HSA-id or e-mail and password do not match.")), 401
    return _continue_with_session("staff", staff.id, _providers().staff.method, "signin_password",
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
    if not _address_allowed() or ratelimit.blocked(account_key, PER_ACCOUNT, WINDOW):
        return _too_many("auth/staff_totp.html")
    if not _providers().staff.check_second_factor(staff, request.form.get("code", "")):
        ratelimit.hit(account_key, PER_ACCOUNT, WINDOW)
        security_log.event("signin_totp", "denied", actor_type="staff", actor_id=staff.id, request_id=g.request_id)
        return render_template("auth/staff_totp.html", error=_("The code is wrong or has already been used.")), 401
    ratelimit.clear(account_key)
    ratelimit.clear(f"signin:account:{staff.hsa_id.lower()}")
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
        security_log.event("signin_child_code", "denied", request_id=g.request_id)
        return render_template("auth/child_login.html", error=_("The code is wrong, used or too old.")), 401
    return _continue_with_session("child", code.resident_id, "child_code", "signin_child_code",
                                  url_for("home.index"))


@bp.post("/logga-ut")
def logout():
    principal = getattr(g, "principal", None)
    sessions.end(current_token())
    if principal is not None:
        security_log.event("signout", "ok", actor_type=principal.kind, actor_id=principal.id, request_id=g.request_id)
    response = redirect(url_for("home.index"))
    clear_cookie(response)
    return response
