"""Where the resident wants to hear that something waits: an e-mail address and a mobile number
for the notifications (which never say more than "something waits in Vårdflöde"). Children
signed in with a one-time code cannot change them: the contact details belong to the resident."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from access import pdl
from notify import outbox
from web.shell.screens import signed_in_resident

bp = Blueprint("resident_contact", __name__, template_folder="templates")


@bp.route("/mina-kontaktuppgifter", methods=["GET", "POST"])
def contact():
    principal = signed_in_resident(kinds=("resident",))
    resident = principal.resident
    if request.method == "GET":
        form = {"email": resident.email or "", "phone": resident.phone or ""}
        return render_template("resident/contact.html", form=form, errors={}, saved=request.args.get("sparat") == "1")
    form = {"email": request.form.get("email", "").strip(), "phone": request.form.get("phone", "").strip()}
    email, phone, errors = _checked(form)
    if errors:
        return render_template("resident/contact.html", form=form, errors=errors, saved=False), 422
    resident.email, resident.phone = email, phone
    pdl.record(principal.access_context("invanare", g.request_id), action="update", resource_type="own_contact",
               resource_id=None, resident_id=resident.id, access_basis="self")
    return redirect(url_for("resident_contact.contact", sparat=1))


def _checked(form):
    errors = {}
    email = outbox.usable_email(form["email"]) if form["email"] else None
    if form["email"] and email is None:
        errors["email"] = _("Write the e-mail address like name@example.se.")
    phone = outbox.usable_phone(form["phone"]) if form["phone"] else None
    if form["phone"] and phone is None:
        errors["phone"] = _("Write the mobile number like 070-123 45 67 or +46 70 123 45 67.")
    return email, phone, errors
