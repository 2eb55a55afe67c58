"""The header's navigation: which links each signed-in person sees, and sign-in links otherwise.

``principal`` is ``flask.g.principal`` or None. It has ``kind`` ("staff" | "resident" | "child"),
``display_name`` and ``roles`` (role ids from ``engine/roles.py``). A link appears only once its
endpoint is registered, so the header works before the blueprints behind it exist. Showing a
link is a convenience, never a permission: every view checks access itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

from flask import current_app, g, has_request_context, request, url_for
from flask_babel import lazy_gettext as _l

from engine import clock

LOGOUT = "auth.logout"


@dataclass(frozen=True)
class Entry:
    """A possible link: shown to a principal of one of ``kinds`` or holding one of ``roles``."""

    endpoint: str
    label: object  # a lazy string, translated when rendered
    roles: frozenset = frozenset()
    kinds: frozenset = frozenset()
    real_only: bool = False  # not for test staff: what they would find there refuses them

    def is_for(self, principal) -> bool:
        if self.real_only and getattr(principal, "is_test", False):
            return False
        return principal.kind in self.kinds or bool(self.roles & set(principal.roles or ()))


@dataclass(frozen=True)
class Link:
    """A link as the template renders it."""

    endpoint: str
    label: str
    url: str
    current: bool
    badge: int = 0  # e.g. how many news items are new to this person; 0 shows nothing


# endpoint -> a function of the principal giving the count shown beside its link (an audience
# registers its own, e.g. web/community/news.py: the news items this person has not opened).
BADGES: dict = {}


SIGNED_IN = (
    Entry("resident_tasks.my_tasks", _l("My steps"), kinds=frozenset({"resident", "child"})),
    Entry("resident.home", _l("My programs"), kinds=frozenset({"resident", "child"})),
    Entry("resident_messages.mine", _l("Messages"), kinds=frozenset({"resident", "child"})),
    Entry("resident.log_extract", _l("Who has read about me"), kinds=frozenset({"resident"})),
    Entry("resident_contact.contact", _l("My contact details"), kinds=frozenset({"resident"})),
    Entry("open_programs.index", _l("Open programs"), kinds=frozenset({"resident"})),
    Entry("work.tasklist", _l("Tasks"), roles=frozenset({"behandlare", "invanaradmin"})),
    Entry("clinic.residents", _l("Residents"), roles=frozenset({"behandlare", "invanaradmin"})),
    Entry("start.start_program", _l("Start a program"), roles=frozenset({"behandlare"}), real_only=True),
    Entry("journal.awaiting", _l("Transfer to the record"), roles=frozenset({"behandlare"}), real_only=True),
    Entry("admin.unit_roles", _l("Permissions"), roles=frozenset({"behorighetsadmin"})),
    Entry("admin.assignments", _l("Staff and assignments"), roles=frozenset({"behorighetsadmin"})),
    Entry("admin.units", _l("Care units"), roles=frozenset({"vardgivaradmin"})),
    Entry("catalogue.index", _l("Content catalogue"), roles=frozenset({"vardgivaradmin"})),
    Entry("purging_admin.rules_page", _l("Purging"), roles=frozenset({"vardgivaradmin"})),
    Entry("admin.providers", _l("Care providers"), roles=frozenset({"nationell_forvaltning"})),
    Entry("admin.publisher_units", _l("Publishing units"), roles=frozenset({"nationell_forvaltning"})),
    Entry("admin.national_team", _l("National management team"), roles=frozenset({"nationell_forvaltning"})),
    Entry("home.platform_status", _l("Platform status"), roles=frozenset({"nationell_forvaltning"})),
    Entry("incident_handling.cases", _l("Incidents"), roles=frozenset({"nationell_forvaltning"})),
    Entry("support_handling.queue", _l("Support cases"),
          roles=frozenset({"vardgivaradmin", "nationell_forvaltning", "utgivare", "designer"})),
    Entry("onboarding.cases", _l("Onboarding"), roles=frozenset({"nationell_forvaltning", "vardgivaradmin"})),
    Entry("community_requests.cases", _l("Training and support requests"), roles=frozenset({"nationell_forvaltning"})),
    Entry("community_requests.new", _l("Training and support"), roles=frozenset({"vardgivaradmin"})),
    Entry("logs.search", _l("Log review"), roles=frozenset({"loggranskare"})),
    Entry("design_programs.index", _l("Design"), roles=frozenset({"designer"})),
    Entry("design_publishing.reviews", _l("Review"), roles=frozenset({"utgivare"})),
    Entry("design.test_residents", _l("Test residents"), roles=frozenset({"designer", "utgivare"})),
    Entry("community_network.index", _l("Designers' network"), roles=frozenset({"designer", "utgivare"}), real_only=True),
    Entry("community_news.index", _l("News"), kinds=frozenset({"staff"}), real_only=True),
)

SIGNED_OUT = (
    Entry("auth.staff_login", _l("Sign in as staff")),
    Entry("auth.resident_login", _l("Sign in as resident")),
    Entry("auth.child_login", _l("Sign in with a one-time code")),
)


def items_for(principal) -> list[Link]:
    """Return the links ``principal`` sees (sign-in links when it is None), registered ones only."""
    entries = SIGNED_OUT if principal is None else [e for e in SIGNED_IN if e.is_for(principal)]
    registered = current_app.view_functions
    current = request.endpoint if has_request_context() else None
    return [Link(e.endpoint, str(e.label), url_for(e.endpoint), e.endpoint == current,
                 BADGES[e.endpoint](principal) if e.endpoint in BADGES and principal is not None else 0)
            for e in entries if e.endpoint in registered]


def logout_url(principal) -> str | None:
    """Return where the sign-out button posts to, or None when nobody is signed in."""
    if principal is None or LOGOUT not in current_app.view_functions:
        return None
    return url_for(LOGOUT)


INCIDENT_FORM = "incidents.new"
SUPPORT_FORM = "support.new"


def incident_link(principal) -> str | None:
    """R57, R84: the shell's "Report an incident" link for staff (see ``carrying_link``)."""
    return carrying_link(principal, INCIDENT_FORM)


def support_link(principal) -> str | None:
    """R63, R66, R84: the shell's "Contact support" link, carrying the same as the incident link."""
    return carrying_link(principal, SUPPORT_FORM)


def carrying_link(principal, endpoint: str) -> str | None:
    """A link for staff to a form that says where and when: it carries this page's path (not its
    query, which may hold what someone searched for), the product, the platform's version and the
    time, so the form is filled in without the person typing it (web/shell/carried.py reads them)."""
    if principal is None or principal.kind != "staff" or getattr(principal, "acting_for", None) \
            or endpoint not in current_app.view_functions or not has_request_context() \
            or request.endpoint == "enrolment.enrol":  # that path holds an activation token
        return None
    product = "designverktyget" if (request.blueprint or "").startswith("design") else "stod_och_behandling"
    return url_for(endpoint, sida=request.path, produkt=product, version=platform_version(),
                   tid=clock.now().astimezone(clock.SWEDEN).strftime("%Y-%m-%dT%H:%M"))


@lru_cache(maxsize=1)
def platform_version() -> str:
    try:
        return metadata.version("vardflode")
    except metadata.PackageNotFoundError:  # a checkout run without installing
        return "0+unknown"


def install(app) -> None:
    """Default ``g.principal`` to None and hand the header what it needs."""

    @app.before_request
    def _default_principal():
        # The access package sets g.principal in its own hook, which may run before this one.
        if not hasattr(g, "principal"):
            g.principal = None

    @app.context_processor
    def _header():
        principal = getattr(g, "principal", None)
        return {"principal": principal, "nav_items": items_for(principal),
                "logout_url": logout_url(principal), "incident_report_url": incident_link(principal),
                "support_case_url": support_link(principal)}
