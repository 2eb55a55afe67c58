"""The header's navigation per role, sign-in links for visitors, and only registered endpoints."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from flask import Flask

from engine.roles import ROLES
from tests.web.apps import shell_app
from tests.web.pages import csrf_token
from web.shell import i18n
from web.shell import navigation


@dataclass
class Person:
    kind: str
    display_name: str = "Testa Testsson"
    roles: set = field(default_factory=set)
    is_test: bool = False


def staff(*roles) -> Person:
    return Person("staff", roles=set(roles))


@pytest.fixture(scope="module")
def shell():
    return shell_app()


def labels(shell, principal, lang="sv") -> list[str]:
    with shell.test_request_context("/", headers={"Accept-Language": lang}):
        return [link.label for link in navigation.items_for(principal)]


@pytest.mark.parametrize("principal, expected", [
    (None, ["Logga in som medarbetare", "Logga in som invånare", "Logga in med engångskod"]),
    (Person("resident", roles={"invanare"}), ["Mina program", "Vem har läst om mig"]),
    (Person("child", roles={"invanare"}), ["Mina program"]),
    (staff("behandlare"), ["Invånare"]),
    (staff("invanaradmin"), ["Invånare"]),
    (staff("behandlare", "invanaradmin"), ["Invånare"]),
    (staff("behorighetsadmin"), ["Behörigheter"]),
    (staff("vardgivaradmin"), ["Vårdenheter"]),
    (staff("nationell_forvaltning"), ["Vårdgivare", "Utgivande enheter"]),
    (staff("loggranskare"), ["Loggranskning"]),
    (staff("designer"), ["Design", "Testinvånare"]),
    (staff("utgivare"), ["Testinvånare"]),
    (staff(), []),
    (staff("behandlare", "loggranskare", "designer"), ["Invånare", "Loggranskning", "Design", "Testinvånare"]),
])
def test_each_role_sees_its_links(shell, principal, expected):
    assert labels(shell, principal) == expected


def test_a_test_clinician_is_not_offered_to_start_programs_for_real_residents():
    [start] = [entry for entry in navigation.SIGNED_IN if entry.endpoint == "start.start_program"]
    assert start.is_for(staff("behandlare"))
    assert not start.is_for(Person("staff", roles={"behandlare"}, is_test=True))


def test_every_role_id_in_the_navigation_exists():
    used = set().union(*(entry.roles for entry in navigation.SIGNED_IN))
    assert used <= set(ROLES)


def test_links_are_translated(shell):
    assert labels(shell, staff("nationell_forvaltning"), "en") == ["Care providers", "Publishing units"]
    assert labels(shell, None, "en") == ["Sign in as staff", "Sign in as resident", "Sign in with a one-time code"]


def test_unregistered_endpoints_are_left_out():
    bare = Flask("web")
    bare.config["SECRET_KEY"] = "test"
    i18n.install(bare)
    bare.add_url_rule("/invanare", "clinic.residents", lambda: "")
    with bare.test_request_context("/"):
        assert [link.url for link in navigation.items_for(staff("behandlare", "loggranskare"))] == ["/invanare"]
        assert navigation.items_for(None) == []
        assert navigation.logout_url(staff("behandlare")) is None


def test_the_header_shows_who_is_signed_in_and_a_sign_out_button(shell):
    shell.config["PRINCIPAL"] = staff("behandlare")
    try:
        page = shell.test_client().get("/clinic/residents").text
    finally:
        shell.config["PRINCIPAL"] = None
    assert "Inloggad som Testa Testsson" in page
    assert '<form class="inline-form" method="post" action="/auth/logout">' in page
    assert '<a href="/clinic/residents" aria-current="page">Invånare</a>' in page
    assert "Logga in som medarbetare" not in page


def test_names_are_escaped(shell):
    shell.config["PRINCIPAL"] = Person("resident", display_name="<script>x</script>")
    try:
        page = shell.test_client().get("/").text
    finally:
        shell.config["PRINCIPAL"] = None
    assert "<script>x" not in page and "&lt;script&gt;x" in page


def test_visitors_get_sign_in_links_and_no_sign_out(shell):
    page = shell.test_client().get("/").text
    assert '<nav class="main-nav" aria-label="Huvudmeny">' in page
    assert 'href="/auth/staff_login">Logga in som medarbetare' in page
    assert "Logga ut" not in page


def test_sign_out_posts_with_the_token(shell):
    shell.config["PRINCIPAL"] = staff()
    try:
        client = shell.test_client()
        assert client.post("/auth/logout").status_code == 400
        assert client.post("/auth/logout", data={"csrf_token": csrf_token(client)}).status_code == 200
    finally:
        shell.config["PRINCIPAL"] = None


def test_principal_defaults_to_none_but_is_never_overwritten():
    from flask import g
    app = Flask("web")

    @app.before_request
    def _signed_in_first():
        g.principal = "someone"

    navigation.install(app)
    app.add_url_rule("/", "who", lambda: repr(getattr(g, "principal", "unset")))
    assert app.test_client().get("/").text == "'someone'"

    later = Flask("web")
    navigation.install(later)
    later.add_url_rule("/", "who", lambda: repr(getattr(g, "principal", "unset")))
    assert later.test_client().get("/").text == "None"
