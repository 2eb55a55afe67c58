"""The resident's own pages: their programs, and a log extract naming units and times but never
a member of staff."""
from __future__ import annotations

import re

from access.records import PdlEntry
from engine.db import db
from tests.web.signin import demo, pdl_rows, sign_in_resident  # noqa: F401


def test_a_resident_sees_their_programs_and_the_look_is_logged(demo):
    anna = demo.resident("anna")
    client = sign_in_resident(demo.client(), anna.id)
    page = client.get("/mina-program")
    assert page.status_code == 200 and demo.program in page.text
    [row] = pdl_rows(resident_id=anna.id, resource_type="own_programs")
    assert (row.actor_type, row.actor_id, row.action, row.outcome, row.access_basis) == (
        "resident", anna.id, "read", "allowed", "self")
    assert row.request_id


def test_a_resident_without_programs_sees_none(demo):
    client = sign_in_resident(demo.client(), demo.resident("bo").id)
    assert demo.program not in client.get("/mina-program").text


def test_the_log_extract_names_unit_provider_and_time_but_no_staff(demo):
    anna = demo.resident("anna")
    demo.staff("behandlare").get(f"/invanare/{anna.id}")
    demo.staff("syd").get(f"/invanare/{anna.id}")  # refused: not shown as an access
    client = sign_in_resident(demo.client(), anna.id)
    page = client.get("/mina-loggar")
    assert page.status_code == 200
    assert "Psykiatrimottagning Nord" in page.text and "Region Demoland" in page.text
    assert "Vårdcentral Syd" not in page.text
    for name in ("Bodil", "Behandlare", "Sven", "SE2321000016-B001"):
        assert name not in page.text
    [row] = pdl_rows(resident_id=anna.id, resource_type="log_extract")
    assert row.actor_type == "resident" and row.outcome == "allowed"


def test_the_extract_holds_only_the_residents_own_entries(demo):
    demo.staff("behandlare").get(f"/invanare/{demo.resident('cecilia').id}")
    client = sign_in_resident(demo.client(), demo.resident("anna").id)
    assert "Psykiatrimottagning Nord" not in client.get("/mina-loggar").text


def test_staff_and_children_do_not_get_the_extract(demo):
    staff = demo.staff("behandlare")
    assert staff.get("/mina-program").status_code == 403
    assert staff.get("/mina-loggar").status_code == 403
    assert demo.client().get("/mina-loggar").status_code == 302
    assert db.session.query(PdlEntry).filter(PdlEntry.resource_type == "log_extract").count() == 0


def _every_message_row(demo):
    """A staff member on Nord listed Anna's messages and sent her one (care.tasklist, messaging)."""
    from access import pdl
    anna, bodil, nord = demo.resident("anna"), demo.org.staff["behandlare"], demo.org.units["nord"]
    ctx = pdl.AccessContext("staff", bodil.id, "Bodil Behandlare", "behandlare", nord.care_provider_id, nord.id,
                            "a1", "vard_och_behandling", "r1")
    for action in ("list", "message_send"):
        pdl.record(ctx, action=action, resource_type="message", resource_id="m1", resident_id=anna.id,
                   access_basis="care_relation")
    db.session.commit()
    return anna


def test_the_extract_names_what_was_done_in_the_pages_language_and_dates_the_british_way(demo):
    # Before: "Shown in a list: message" in Swedish too, and 11/24/26, 10:00 AM in English.
    from tests.web.signin import post
    anna = _every_message_row(demo)
    client = sign_in_resident(demo.client(), anna.id)
    swedish = client.get("/mina-loggar").text
    assert ": message<" not in swedish and "message_send" not in swedish
    assert "2026-11-24 10:00" in swedish
    post(client, "/sprak", {"lang": "en", "next": "/mina-loggar"}, token_from="/mina-loggar")
    english = client.get("/mina-loggar").text
    assert "Shown in a list: Messages" in english and "Message sent: Messages" in english
    # Only the date cells: a CSRF token elsewhere on the page may well contain "AM".
    dates = re.findall(r'<th scope="row" role="rowheader">([^<]*)</th>', english)
    assert dates == ["24/11/2026, 10:00", "24/11/2026, 10:00"]


def test_every_action_and_resource_written_to_the_pdl_log_has_a_label():
    import re
    from pathlib import Path
    from access import pdl
    from web.shell.screens import ACTION_LABELS, RESOURCE_LABELS
    root = Path(__file__).resolve().parents[2]
    written = set()
    for source in root.glob("*/**/*.py"):
        if source.parts[len(root.parts)] != "tests":
            written |= set(re.findall(r'resource_type(?:: str)?\s*=\s*"([a-z_]+)"', source.read_text(encoding="utf-8")))
    assert "message" in written and "process_instance" in written
    assert written <= set(RESOURCE_LABELS), written - set(RESOURCE_LABELS)
    assert pdl.ACTIONS <= set(ACTION_LABELS)
