"""The enrolment page, /aktivera/<token>: a member of staff chooses a password and connects an
authenticator app with the single-use link from their e-mail (access.enrolment).

The token is in the address, so this page never names it anywhere else: Referrer-Policy is
no-referrer on every response (security_headers), nothing logs request paths, and security
events carry the token row's staff id, never the token."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from access import enrolment, ratelimit, security_log
from access.models import Staff
from access.secrets_hashing import token_digest
from engine.db import db
from web.shell.session_hook import client_key

bp = Blueprint("enrolment", __name__, template_folder="templates")

WINDOW = timedelta(minutes=15)
PER_TOKEN = 10  # failed attempts per link and window; a person mistyping a code does not reach it
PER_ADDRESS = 30  # failed attempts per address and window, across all links


def _messages() -> dict[str, str]:
    return {
        "password_mismatch": _("The two passwords are not the same."),
        "password_short": _("Choose a password of at least %(num)d characters.", num=enrolment.MIN_PASSWORD_LENGTH),
        "password_long": _("Choose a password of at most %(num)d characters.", num=enrolment.MAX_PASSWORD_LENGTH),
        "password_guessable": _("Choose a password that is not your HSA-id, your e-mail or easy to guess."),
        "wrong_code": _("The code does not match. Enter the 6-digit code your authenticator app shows now."),
    }


def _keys(token: str) -> tuple[str, str]:
    # The rate counter's key holds a digest prefix, never the token itself.
    return f"enrol:token:{token_digest(token)[:32]}", f"enrol:ip:{client_key()}"


def _limited(token: str) -> bool:
    token_key, address_key = _keys(token)
    if ratelimit.blocked(token_key, PER_TOKEN, WINDOW) or ratelimit.blocked(address_key, PER_ADDRESS, WINDOW):
        security_log.event("rate_limited", "denied", detail=request.endpoint, request_id=g.request_id)
        return True
    return False


def _failed(token: str) -> None:
    token_key, address_key = _keys(token)
    ratelimit.hit(token_key, PER_TOKEN, WINDOW)
    ratelimit.hit(address_key, PER_ADDRESS, WINDOW)


def _invalid():
    return render_template("auth/enrol_invalid.html"), 404


def _form(staff: Staff, secret: str, error: str | None = None, status: int = 200):
    return render_template("auth/enrol.html", secret=secret, error=error,
                           otpauth=enrolment.provisioning_uri(staff, secret),
                           grouped=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4))), status


@bp.route("/aktivera/<token>", methods=["GET", "POST"])
def enrol(token: str):
    if _limited(token):
        return render_template("auth/enrol_invalid.html",
                               error=_("Too many attempts. Wait a while and try again.")), 429
    row = enrolment.valid_token(token)
    if row is None:
        if request.method == "POST":
            _failed(token)
            security_log.event("staff_enrolment", "denied", detail="invalid_token", request_id=g.request_id)
        return _invalid()
    staff = db.session.get(Staff, row.staff_id)
    if request.method == "GET":
        return _form(staff, enrolment.new_totp_secret())
    secret = request.form.get("totp_secret", "")
    if not enrolment.valid_secret(secret):
        secret = enrolment.new_totp_secret()  # a tampered field: start the app setup again
    # Every attempt counts, before the request writes (ratelimit runs on its own connection); the
    # successful one too, which costs nothing: the link is used up with it.
    _failed(token)
    try:
        enrolment.redeem(token, request.form.get("password", ""), request.form.get("password_again", ""),
                         secret, request.form.get("code", ""), request_id=g.request_id)
    except enrolment.EnrolmentError as refusal:
        if refusal.code == "invalid_token":
            return _invalid()
        return _form(staff, secret, _messages().get(refusal.code, _("Check the form.")), 422)
    return redirect(url_for("auth.staff_login", aktiverad=1))
