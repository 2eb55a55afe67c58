"""Purging for a care provider administrator (gallring, R45–R47): the rule per program kind –
the clinician's confirmation that the essentials are in the record first, and how many days
after the end the working material is kept – and one report per purge run (counts only, no
health data, so no PDL row). A changed rule is a security event (a configuration change)."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from access import security_log
from purging import process, rules
from web.shell.screens import administered_provider, refuse, signed_in_staff

bp = Blueprint("purging_admin", __name__, template_folder="templates")

KIND_LABELS = {"treatment": _l("Treatment programs"), "education": _l("Self-help and education programs")}
FIELD_ERRORS = {
    "days": _l("Give the number of days as a whole number from 0 to 3650."),
    "program_kind": _l("Choose one of the program kinds shown."),
}


@bp.route("/gallring", methods=["GET", "POST"])
def rules_page():
    principal = signed_in_staff()
    provider = administered_provider(principal)
    if request.method == "GET":
        return _page(provider, done=request.args.get("sparad") == "1")
    if request.form.get("provider_id") != provider.id:
        refuse(principal, "purge rules of another care provider")
    kind = request.form.get("program_kind", "")
    try:
        rules.save(provider.id, kind, request.form.get("needs_confirmation") == "1", request.form.get("days", ""),
                   principal.id)
    except rules.RuleError as refused:
        return _page(provider, error=(kind, refused.field, str(FIELD_ERRORS[refused.field])),
                     form=request.form), 400
    security_log.event("purge_rule_changed", "ok", actor_type="staff", actor_id=principal.id, subject=provider.id,
                       detail=kind, request_id=g.request_id)
    return redirect(url_for("purging_admin.rules_page", sparad="1"))


def _page(provider, error=None, form=None, done=False):
    provider_rules = rules.rules_of(provider.id)
    shown = [(kind, KIND_LABELS.get(kind, kind), provider_rules[kind]) for kind in rules.KINDS]
    return render_template("admin/purging.html", provider=provider, rules=shown, error=error, form=form or {},
                           done=done, reports=process.reports(provider.id), planned=process.open_run(provider.id))
