"""The header of a signed-in person: name, navigation for their roles, sign-out. Served by the
web shell alone (tests/web/apps.py) with a principal the test picks, so it does not depend on
the sign-in flow."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import serve
from tests.web.apps import shell_app

EVERY_STAFF_ROLE = {"behandlare", "invanaradmin", "behorighetsadmin", "loggranskare", "vardgivaradmin", "designer",
                    "utgivare", "nationell_forvaltning"}


@dataclass
class Person:
    kind: str
    display_name: str
    roles: set = field(default_factory=set)


@pytest.fixture(scope="module")
def shell():
    return shell_app()


@pytest.fixture(scope="module")
def shell_server(shell):
    yield from serve(shell)


@pytest.mark.parametrize("locale, name, sign_out, current", [
    ("sv-SE", "Huvudmeny", "Logga ut", "Invånare"),
    ("en-GB", "Main menu", "Sign out", "Residents"),
])
def test_a_staff_member_with_every_role(chromium, shell, shell_server, locale, name, sign_out, current):
    shell.config["PRINCIPAL"] = Person("staff", "Åsa Öberg-Länsman", EVERY_STAFF_ROLE)
    context = chromium.new_context(base_url=shell_server, locale=locale)
    try:
        page = context.new_page()
        page.goto("/clinic/residents")
        nav = page.get_by_role("navigation", name=name)
        assert nav.get_by_role("link").count() == 8
        assert nav.locator("[aria-current=page]").inner_text() == current
        assert page.get_by_text("Åsa Öberg-Länsman").is_visible()
        assert page.get_by_role("button", name=sign_out).is_visible()
        assert_accessible(page)
        page.set_viewport_size({"width": 360, "height": 740})  # a phone: the header must still hold
        assert_accessible(page)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name=sign_out).click()
        assert navigation.value.status == 200  # the stand-in accepted the post: it carried the token
    finally:
        shell.config["PRINCIPAL"] = None
        context.close()


def test_a_resident(chromium, shell, shell_server):
    shell.config["PRINCIPAL"] = Person("resident", "Kim Andersson", {"invanare"})
    context = chromium.new_context(base_url=shell_server, locale="sv-SE")
    try:
        page = context.new_page()
        page.goto("/resident/home")
        links = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link").all_inner_texts()
        assert links == ["Mina program", "Vem har läst om mig"]
        assert_accessible(page)
    finally:
        shell.config["PRINCIPAL"] = None
        context.close()
