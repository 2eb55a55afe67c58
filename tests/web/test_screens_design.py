"""Designers and publishers see test residents only, never a real one."""
from __future__ import annotations

import pytest

from tests.web.signin import demo, pdl_rows  # noqa: F401


@pytest.mark.parametrize("key", ["designer", "utgivare"])
def test_designers_see_test_residents_only(demo, key):
    page = demo.staff(key).get("/design/testinvanare")
    assert page.status_code == 200
    assert "Testa Testsson" in page.text
    for real in ("Anna", "Cecilia", "Elsa", "Fredrik", "Greta"):
        assert real not in page.text
    listed = pdl_rows(action="list")
    assert [r.resident_id for r in listed] == [demo.resident("testa").id]
    assert listed[0].role == key and listed[0].access_basis == "test_resident"


def test_designers_cannot_open_a_real_resident(demo):
    anna = demo.resident("anna")
    page = demo.staff("designer").get(f"/invanare/{anna.id}")
    assert page.status_code == 404 and "Anna" not in page.text
    assert [r.outcome for r in pdl_rows(resident_id=anna.id)] == ["denied"]


@pytest.mark.parametrize("key", ["behandlare", "vardgivaradmin"])
def test_others_do_not_reach_the_test_residents(demo, key):
    assert demo.staff(key).get("/design/testinvanare").status_code == 403
