"""National management's pages: the care providers let into the platform and the publishing
units (normal or training) that make programs (R11, R17, SOBD-UTG)."""
from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from access import directory, security_log
from access.models import CareProvider, PublisherUnit, Unit
from engine.db import db
from web.admin.organisation import bp, directory_message, done_message, field
from web.shell.screens import staff_with_role

ROLE = "nationell_forvaltning"
PROVIDER_KINDS = ("region", "private")


@bp.route("/admin/vardgivare", methods=["GET", "POST"])
def providers():
    principal = staff_with_role(ROLE)
    if request.method == "POST":
        error = _create_provider(principal)
        if error is None:
            return redirect(url_for("admin.providers", done="created"))
        return _providers_page(error), 400
    return _providers_page(None, done_message())


@bp.route("/admin/utgivande-enheter", methods=["GET", "POST"])
def publisher_units():
    principal = staff_with_role(ROLE)
    if request.method == "POST":
        error = _create_publisher_unit(principal)
        if error is None:
            return redirect(url_for("admin.publisher_units", done="created"))
        return _publisher_units_page(error), 400
    return _publisher_units_page(None, done_message())


def _create_provider(principal) -> str | None:
    name, kind = field("name"), field("kind")
    if not name:
        return _("Give the care provider a name.")
    if kind not in PROVIDER_KINDS:
        return _("Choose region or private care provider.")
    try:
        provider = directory.create_care_provider(field("hsa_id"), name, kind)
    except directory.DirectoryError as err:
        return directory_message(err)
    # directory does not log creations of organisations; a new tenant is worth a trace.
    security_log.event("care_provider_created", "ok", actor_type="staff", actor_id=principal.id,
                       subject=provider.id, request_id=g.request_id)
    return None


def _create_publisher_unit(principal) -> str | None:
    name = field("name")
    if not name:
        return _("Give the publishing unit a name.")
    try:
        unit = directory.create_publisher_unit(field("hsa_id"), name, training=bool(request.form.get("training")))
    except directory.DirectoryError as err:
        return directory_message(err)
    security_log.event("publisher_unit_created", "ok", actor_type="staff", actor_id=principal.id,
                       subject=unit.id, request_id=g.request_id)
    return None


def _providers_page(error, done=None):
    unit_count = (select(Unit.care_provider_id, func.count(Unit.id).label("units"))
                  .group_by(Unit.care_provider_id).subquery())
    rows = db.session.execute(select(CareProvider, func.coalesce(unit_count.c.units, 0))
                              .outerjoin(unit_count, unit_count.c.care_provider_id == CareProvider.id)
                              .order_by(CareProvider.name)).all()
    return render_template("admin/providers.html", providers=rows, kinds=PROVIDER_KINDS, error=error,
                           done=done, form=request.form)


def _publisher_units_page(error, done=None):
    rows = db.session.scalars(select(PublisherUnit).order_by(PublisherUnit.name)).all()
    return render_template("admin/publisher_units.html", units=rows, error=error, done=done, form=request.form)
