"""Everyone lands on their own start page; the public sees nothing of the engine; what the engine
holds is national management's page only."""
from __future__ import annotations

import pytest

from tests.web.signin import demo, sign_in_resident  # noqa: F401


def test_the_public_front_page_shows_how_to_sign_in_and_nothing_of_the_engine(demo):
    page = demo.client().get("/")
    assert page.status_code == 200
    assert "Logga in som invånare" in page.text and "Logga in som medarbetare" in page.text
    for engine_word in ("BPMN", "Processinstanser", demo.version[:12], "Programversioner"):
        assert engine_word not in page.text


@pytest.mark.parametrize("key, start", [("behandlare", "/uppgifter"), ("loggranskare", "/loggar"),
                                        ("vardgivaradmin", "/admin/vardenheter"),
                                        ("behorighetsadmin", "/admin/behorigheter")])
def test_staff_land_on_their_own_start_page(demo, key, start):
    assert demo.staff(key).get("/").headers["Location"] == start


def test_residents_land_on_their_steps(demo):
    client = sign_in_resident(demo.client(), demo.resident("anna").id)
    assert client.get("/").headers["Location"] == "/mina-uppgifter"


def test_engine_status_is_for_national_management_only(demo):
    assert demo.staff("behandlare").get("/plattform").status_code == 403
    assert sign_in_resident(demo.client(), demo.resident("anna").id).get("/plattform").status_code == 403
    page = demo.staff("nationell").get("/plattform")
    assert page.status_code == 200 and demo.version[:12] in page.text and "Processinstanser" in page.text
