""""Jämför med publicerad version": the designer's preview of the publisher's review, through the
test client and the real database. The sleep program is in the catalogue; a draft of it with one
renamed step shows that one step changed on both diagrams' data, in the list, and a minor
proposal; a draft of a program nobody published shows everything as new."""
from __future__ import annotations

import json
import re

import catalogue
from access import directory
from engine.db import db
from tests.support.publishing import publish_approved
from tests.web.signin import demo  # noqa: F401
from tests.web.test_design_scenarios import SLEEP, import_sleep
from tests.web.test_design_screens import create

OLD_NAME, NEW_NAME = "Modul 2: Vanor och rutiner för bättre sömn", "Modul 2: Vanor för bättre sömn"


def publish_sleep(demo, publish, unit="national") -> None:
    version = publish(SLEEP)
    publish_approved(version, demo.org.publishers[unit].id, demo.org.staff["utgivare"].id)
    db.session.commit()


def renamed(name: str, data: bytes) -> bytes:
    """The step's name only (its instructions repeat the title; they stay as they were)."""
    old, new = f'name="{OLD_NAME}"'.encode(), f'name="{NEW_NAME}"'.encode()
    return data.replace(old, new) if name == "selfhelp_sleep.bpmn" else data


def compare(client, program_id):
    """The preview in English, so the test reads the same once the page is translated."""
    return client.get(f"/design/program/{program_id}/jamfor", headers={"Accept-Language": "en"})


def review_data(page: str, side: str) -> dict:
    block = re.search(rf'<script type="application/json" id="review-data-1-{side}">(.*?)</script>', page, re.S)
    assert block, page
    return json.loads(block.group(1))


def changes_list(page: str) -> list[str]:
    section = page.split('class="review-changes"', 1)[1].split("</ul>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in re.findall(r"<li[^>]*>(.*?)</li>", section, re.S)]


def test_one_renamed_step_is_marked_changed_on_both_diagrams_and_proposed_minor(demo, publish):
    publish_sleep(demo, publish)
    client = demo.staff("designer")
    program_id = import_sleep(client, demo, renamed)

    program_page = client.get(f"/design/program/{program_id}").text
    assert f'href="/design/program/{program_id}/jamfor"' in program_page
    response = compare(client, program_id)
    assert response.status_code == 200, response.text
    page = response.text
    assert "Compared with version 1.1" in page
    old, new = review_data(page, "old"), review_data(page, "new")
    assert (old["changed"], new["changed"]) == (["module_2"], ["module_2"])
    assert old["added"] == old["removed"] == new["added"] == new["removed"] == []
    assert OLD_NAME in old["xml"] and NEW_NAME in new["xml"]
    assert changes_list(page) == [f"~ Changed: module_2 – {NEW_NAME} (user task): name"]
    assert 'class="review-kind review-kind--minor"' in page
    assert "module_2: only its text changed (name)." in page
    assert "Running programs could not continue" not in page
    # every expression of the program, by element: the sleep program's gateway condition among them
    assert "flow_still_poor" in page.split('id="review-expressions-heading"', 1)[1]


def test_a_program_nobody_published_shows_everything_as_new(demo):
    client = demo.staff("designer")
    program_id = create(client)
    page = compare(client, program_id).text
    assert "Not published yet: everything is shown as new." in page
    assert 'id="review-data-1-old"' not in page and "Not in the published version." in page
    assert "first_answer" in review_data(page, "new")["added"]
    assert 'class="review-kind review-kind--major"' in page and "First publication" in page


def test_another_units_version_is_never_shown(demo, publish):
    other = directory.create_publisher_unit("SE2321000016-P009", "Annan redaktion")
    version = publish(SLEEP)
    publish_approved(version, other.id, demo.org.staff["utgivare"].id)
    db.session.commit()
    client = demo.staff("designer")
    program_id = import_sleep(client, demo, renamed)
    page = compare(client, program_id).text
    assert "belongs to another publisher unit" in page
    assert 'id="review-data-1-old"' not in page
    assert "first_version" not in page and "First publication" in page


def test_someone_without_the_design_tool_is_refused(demo):
    designer = demo.staff("designer")
    program_id = create(designer)
    assert compare(demo.staff("behandlare"), program_id).status_code == 403


def test_the_macro_shows_release_notes_escaped_and_blocking_reasons_first(demo):
    from flask import render_template_string

    from design import template
    from design.review import review_content
    old = template.blank("Sleep")
    new = {**old, "sleep.bpmn": old["sleep.bpmn"].replace(b"bpmn:userTask", b"bpmn:manualTask")}
    content = review_content(old, new)
    with demo.app.test_request_context(headers={"Accept-Language": "en"}):
        page = render_template_string(
            '{% from "design/_review.html" import review_panel %}{{ review_panel(r, release_notes=n) }}',
            r=content, n="Ny version.\n<script>x</script>")
    assert "Ny version.\n&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    blocking = page.split("Running programs could not continue", 1)[1].split("</ul>", 1)[0]
    assert "first_answer changed from user task to manual task: a running program waiting there could not continue." in blocking
    assert 'class="review-kind review-kind--major"' in page
