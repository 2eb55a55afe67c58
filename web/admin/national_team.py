"""National management's own team (/admin/nationell-forvaltning): who is in it, who leads it
(förvaltningsledare: escalations reach them), adding a member with an activation link, and
appointing or ending the lead. The rules are access/national.py's and access/directory.py's
(never a grant to oneself, every change a security event); this page only asks and shows."""
from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from access import directory, enrolment, national
from tasks import notify_actors
from web.admin.organisation import bp, done_message, field
from web.shell.links import public_base_url
from web.shell.refusals import directory_message
from web.shell.screens import refuse, staff_with_role

ROLE = "nationell_forvaltning"
OPERATIONS = ("add", "lead", "end_lead", "enrol")


@bp.route("/admin/nationell-forvaltning", methods=["GET", "POST"])
def national_team():
    principal = staff_with_role(ROLE)
    if request.method == "POST":
        op = field("op")
        if op not in OPERATIONS:
            refuse(principal, f"unknown national team operation {op[:20]}")
        error, done = _change(principal, op)
        if error is None:
            return redirect(url_for("admin.national_team", done=done))
        return _page(error), 400
    return _page(None, done_message())


def _change(principal, op: str) -> tuple[str | None, str | None]:
    try:
        if op == "add":
            staff = national.add_member(field("hsa_id"), field("given_name"), field("family_name"), field("email"),
                                        principal.id)
            _send_link(principal, staff)
            return None, "member_added"
        staff = _team_member(principal)
        if op == "lead":
            national.appoint_lead(staff.id, principal.id)
            return None, "lead_appointed"
        if op == "end_lead":
            national.end_lead(staff.id, principal.id)
            return None, "lead_ended"
        if enrolment.has_credentials(staff):
            return _("%(name)s already has a password and an authenticator app.", name=staff.display_name), None
        _send_link(principal, staff)
        return None, "enrolment_sent"
    except directory.DirectoryError as err:
        return directory_message(err), None
    except enrolment.EnrolmentError:
        return _("The activation link could not be sent: there is no e-mail address to send it to."), None


def _team_member(principal):
    wanted = field("staff_id")
    for member in national.members():
        if member.staff.id == wanted:
            return member.staff
    refuse(principal, "national team change for someone outside the team")


def _send_link(principal, staff) -> None:
    _token, queued = enrolment.issue(staff, principal.id, g.request_id, base_url=public_base_url())
    notify_actors.send_after_commit(queued)


def _page(error, done=None):
    members = national.members()
    return render_template("admin/national_team.html", members=members, has_lead=any(m.is_lead for m in members),
                           error=error, done=done, form=request.form)
