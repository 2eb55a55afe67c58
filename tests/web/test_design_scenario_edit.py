"""Editing scenarios in the browser's form: the head revision's scenarios/*.json in text areas,
saved as a new revision with the other files unchanged; text that is not a JSON object is refused
naming the file and line with everything typed kept; a save over a newer revision answers 409."""
from __future__ import annotations

import json
import re
from html import unescape

from design import revisions
from design.models import DesignRevision
from engine.db import db
from tests.web.signin import csrf_token, demo  # noqa: F401
from tests.web.test_design_scenarios import SLEEP, import_sleep
from tests.web.test_design_screens import create, head

NAMES = ["low_scores.json", "no_answer_two_weeks.json", "risk_answer.json", "slow_weeks.json"]


def page_path(program_id):
    return f"/design/program/{program_id}/scenarier/redigera"


def texts_on(page: str) -> dict[str, str]:
    names = re.findall(r'<input type="hidden" name="name" value="([^"]+)">', page)
    texts = re.findall(r'<textarea id="scenario-\d+" name="text"[^>]*>(.*?)</textarea>', page, re.S)
    return dict(zip(names, (unescape(t) for t in texts)))


def post(client, program_id, texts: dict[str, str], based_on, **extra):
    path = page_path(program_id)
    data = {"csrf_token": csrf_token(client, path), "based_on": based_on,
            "name": list(texts), "text": [t.replace("\n", "\r\n") for t in texts.values()], **extra}
    return client.post(path, data=data)


def files_of_head(program_id):
    return revisions.files_of(db.session.get(DesignRevision, head(program_id)))


def test_the_page_shows_each_scenario_in_its_own_labelled_text_area(demo):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    page = client.get(page_path(program_id)).text
    shown = texts_on(page)
    assert list(shown) == NAMES
    assert shown["low_scores.json"] == (SLEEP / "scenarios" / "low_scores.json").read_text(encoding="utf-8")
    assert '<label for="scenario-0">scenarios/low_scores.json</label>' in page
    assert f'href="{page_path(program_id)}"' in client.get(f"/design/program/{program_id}").text


def test_an_edit_and_a_new_scenario_are_saved_as_a_new_revision(demo):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    first = head(program_id)
    texts = texts_on(client.get(page_path(program_id)).text)
    changed = json.loads(texts["low_scores.json"])
    changed["_about"] = "Låga poäng, omskriven"
    texts["low_scores.json"] = json.dumps(changed, ensure_ascii=False, indent=2)
    response = post(client, program_id, texts, first, new_name="tom", new_text='{"_about": "Ny"}',
                    message="Scenarier ändrade")
    assert response.status_code == 303, response.text
    files = files_of_head(program_id)
    assert head(program_id) != first
    assert json.loads(files["scenarios/low_scores.json"])["_about"] == "Låga poäng, omskriven"
    assert files["scenarios/tom.json"] == b'{"_about": "Ny"}'
    # untouched text areas come back byte for byte, though the browser sends CRLF
    assert files["scenarios/risk_answer.json"] == (SLEEP / "scenarios" / "risk_answer.json").read_bytes()
    assert files["selfhelp_sleep.bpmn"] == (SLEEP / "selfhelp_sleep.bpmn").read_bytes()
    assert "Scenarier ändrade" in client.get(f"/design/program/{program_id}").text


def test_invalid_json_names_the_file_and_line_and_keeps_what_was_typed(demo):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    first = head(program_id)
    texts = texts_on(client.get(page_path(program_id)).text)
    texts["risk_answer.json"] = '{\n  "_about": "trasig",\n  "steps": [\n}'
    response = post(client, program_id, texts, first)
    assert response.status_code == 400
    page = response.text
    assert "scenarios/risk_answer.json, rad 4, kolumn 1: inte giltig JSON" in page and 'role="alert"' in page
    assert 'href="#scenario-2"' in page and 'aria-describedby="scenario-2-error"' in page
    assert texts_on(page)["risk_answer.json"] == texts["risk_answer.json"]
    assert head(program_id) == first  # nothing saved


def test_a_scenario_must_be_an_object_and_a_new_one_needs_a_fresh_name(demo):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    texts = texts_on(client.get(page_path(program_id)).text)
    texts["slow_weeks.json"] = "[1, 2]"
    page = post(client, program_id, texts, head(program_id), new_name="low_scores", new_text="{}").text
    assert "scenarios/slow_weeks.json: ett scenario är ett JSON-objekt" in page
    assert "scenarios/low_scores.json finns redan" in page
    page = post(client, program_id, texts_on(client.get(page_path(program_id)).text), head(program_id),
                new_name="../x", new_text="{}").text
    assert "Ge det nya scenariot ett filnamn" in page and 'value="../x"' in page


def test_a_save_over_a_newer_revision_answers_409_and_keeps_the_text(demo):
    client = demo.staff("designer")
    program_id = import_sleep(client, demo)
    first = head(program_id)
    texts = texts_on(client.get(page_path(program_id)).text)
    texts["low_scores.json"] = '{"_about": "min version"}'
    assert post(client, program_id, texts, first).status_code == 303
    texts["low_scores.json"] = '{"_about": "en annan version"}'
    response = post(client, program_id, texts, first)
    assert response.status_code == 409
    assert texts_on(response.text)["low_scores.json"] == '{"_about": "en annan version"}'
    assert f'name="based_on" value="{head(program_id)}"' in response.text
    assert post(client, program_id, texts_on(response.text), head(program_id)).status_code == 303
    assert files_of_head(program_id)["scenarios/low_scores.json"] == b'{"_about": "en annan version"}'


def test_a_program_without_scenarios_can_get_its_first(demo):
    client = demo.staff("designer")
    program_id = create(client)
    assert 'class="no-scenarios"' in client.get(page_path(program_id)).text
    assert post(client, program_id, {}, head(program_id), new_name="forsta", new_text="{}").status_code == 303
    assert files_of_head(program_id)["scenarios/forsta.json"] == b"{}"


def test_csrf_and_other_people_are_refused(demo):
    client = demo.staff("designer")
    program_id = create(client)
    assert client.post(page_path(program_id), data={"new_name": "x", "new_text": "{}"}).status_code in (400, 403)
    assert demo.staff("behandlare").get(page_path(program_id)).status_code == 403
