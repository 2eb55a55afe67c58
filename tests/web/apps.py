"""Small apps around the real web shell, for what the real app cannot show on demand.

``app_with_failures`` is the real app (same database, same secret key, so the same session
cookie) plus routes that fail on purpose, some after writing to the database; error handlers and
the end-of-request commit are only reachable that way, because routes cannot be added to the
shared app once it has served a request. ``shell_app`` is the web
shell alone with stand-ins for every navigation endpoint and a principal the test chooses."""
from __future__ import annotations

from flask import Blueprint, Flask, abort, g, redirect, render_template_string, request

from access import pdl, security_log
from access.models import CareProvider
from engine.db import db
from notify import outbox
from tasks import notify_actors
from web import create_app
from web.shell import csrf
from web.shell import errors
from web.shell import i18n
from web.shell import navigation
from web.shell import security_headers
from web.shell.screens import refuse

FAILURES = Blueprint("failures", __name__)


@FAILURES.get("/_test/abort/<int:code>")
def fail_with(code: int):
    abort(code)


@FAILURES.get("/_test/crash")
def crash():
    raise RuntimeError("secret detail that must not reach the page")


@FAILURES.get("/_test/record-then/<outcome>")
def record_then(outcome: str):
    """Write a PDL row and a security event about ``?marker=``, then refuse (403), abort or crash."""
    marker = request.args["marker"]
    record(marker)
    if outcome == "crash":
        raise RuntimeError("after writing")
    if outcome == "403":
        refuse(g.principal, marker)
    abort(int(outcome))


@FAILURES.get("/_test/commit-fails")
def commit_fails():
    """Write, then add a care provider with the HSA-id ``?taken=`` that is in use: the commit fails."""
    record(request.args["marker"])
    db.session.add(CareProvider(hsa_id=request.args["taken"], name="Duplicate", kind="region"))
    response = redirect("/")
    response.set_cookie("half_done", "yes")
    return response


@FAILURES.get("/_test/notify-then/<outcome>")
def notify_then(outcome: str):
    """Queue a notification about ``?marker=`` to be sent after the commit, then answer or crash."""
    marker = request.args["marker"]
    notify_actors.send_after_commit(outbox.enqueue("email", "anna@example.se", "new_message", f"new_message:{marker}"))
    if outcome == "crash":
        raise RuntimeError("after queueing")
    return "queued"


def record(marker: str) -> None:
    """One PDL row (resource ``marker``) and one security event (subject ``marker``)."""
    context = pdl.AccessContext("staff", "tester", "Test Tester", "behandlare", None, None, None, None)
    pdl.record(context, action="read", resource_type="resident", resource_id=marker, resident_id="r1")
    security_log.event("test_write", "ok", subject=marker)


def app_with_failures(app) -> Flask:
    """Return a second instance of the real app that also serves /_test/abort/<code> and /_test/crash."""
    keys = ("DATA_DIR", "SQLALCHEMY_DATABASE_URI", "BROKER_URL", "SECRET_KEY", "MAX_CONTENT_LENGTH")
    sibling = create_app(**{k: app.config[k] for k in keys}, PROPAGATE_EXCEPTIONS=False)
    sibling.register_blueprint(FAILURES)
    return sibling


STAND_INS = ("clinic.residents", "admin.unit_roles", "admin.units", "admin.providers", "admin.publisher_units",
             "logs.search", "design_programs.index", "design.test_residents", "resident.home", "resident.log_extract", "auth.logout",
             "auth.staff_login", "auth.resident_login", "auth.child_login", "home.index")
PAGE = '{% extends "base.html" %}{% block main %}<h1>{{ endpoint }}</h1>{% endblock %}'


def shell_app(endpoints=STAND_INS) -> Flask:
    """Return the web shell with a page for each of ``endpoints``; ``app.config["PRINCIPAL"]`` signs in."""
    import web
    shell = Flask("web", root_path=web.__path__[0], template_folder="shell/templates")
    shell.config.update(SECRET_KEY="test", TESTING=True, PRINCIPAL=None, ENV_NAME="development")
    for endpoint in endpoints:
        rule = "/" if endpoint == "home.index" else "/" + endpoint.replace(".", "/")
        shell.add_url_rule(rule, endpoint, _page(endpoint), methods=["GET", "POST", "PUT", "PATCH", "DELETE"])

    @shell.before_request
    def _sign_in():
        g.principal = shell.config["PRINCIPAL"]

    for part in (i18n, csrf, navigation, errors, security_headers):
        part.install(shell)
    return shell


def _page(endpoint):
    return lambda: render_template_string(PAGE, endpoint=endpoint)
