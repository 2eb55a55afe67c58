"""The modeler's own properties, server side: the choices the page's JSON block gives the properties
group (roles, forms, processes, helpers, the elements the engine runs) and the check of one field
(POST …/uttryck): the engine's words for expressions and scripts, timers in words or ISO with what
they mean in the page's language, instructions as HTML. Guarded and CSRF-protected like …/kontroll."""
from __future__ import annotations

import html
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from design.models import DesignProgram, DesignRevision
from engine.db import db
from tests.web.signin import csrf_token, demo  # noqa: F401
from tests.web.test_design_screens import create, upload

DEPRESSION = Path(__file__).resolve().parents[2] / "workflows" / "programs" / "depression_icbt"
DATA = re.compile(r'<script type="application/json" id="modeler-data">(.*?)</script>', re.S)


def page_data(client, program_id) -> dict:
    page = client.get(f"/design/program/{program_id}/modell")
    assert page.status_code == 200
    return json.loads(html.unescape(DATA.search(page.text).group(1)))


def ask(client, program_id, kind, text, *, token=True):
    headers = {"X-CSRFToken": csrf_token(client, f"/design/program/{program_id}/modell")} if token else {}
    return client.post(f"/design/program/{program_id}/uttryck", json={"kind": kind, "text": text}, headers=headers)


def answer(client, program_id, kind, text) -> dict:
    response = ask(client, program_id, kind, text)
    assert response.status_code == 200, response.text
    return response.json


def test_the_page_gives_the_properties_group_its_choices(demo):
    client = demo.staff("designer")
    program_id = create(client, "Val")
    data = page_data(client, program_id)
    assert data["text_check_url"] == f"/design/program/{program_id}/uttryck"
    choices = data["properties"]
    roles = {role["id"]: role for role in choices["roles"]}
    assert roles["behandlare"]["name"] == "Behandlare" and roles["behandlare"]["label"] == "Behandlare"
    assert roles["invanaradmin"]["name"] == "Invånaradministratör"
    assert choices["forms"][0] == {"value": "first_answer.form", "path": "forms/first_answer.form", "library": False}
    assert {"value": "phq9.form", "path": "phq9.form", "library": True} in choices["forms"]
    assert choices["processes"] == []  # one BPMN file, and the modeler knows its own processes
    helpers = {helper["name"]: helper for helper in choices["helpers"]}
    assert helpers["days_between"] == {"name": "days_between", "call": "days_between(start, end)",
                                       "text": "Hela dagar från ett datum till ett annat."}
    assert "score" in helpers and all(helper["text"] for helper in helpers.values())
    assert "userTask" in choices["supported"] and "complexGateway" not in choices["supported"]
    assert "serviceTask" not in choices["supported"] and "dataStoreReference" not in choices["supported"]
    assert choices["platform_messages"] == {"resident": "vardflode.resident_message", "action_prefix": "vardflode.action."}
    assert choices["new_form_url"] is None


def test_the_choices_follow_the_package(demo):
    client = demo.staff("designer")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(DEPRESSION.rglob("*")):
            if path.is_file():
                archive.writestr(str(path.relative_to(DEPRESSION.parent)), path.read_bytes())
    response = upload(client, "/design/nytt/zip", "package", "depression.zip", buffer.getvalue(),
                      unit=demo.org.publishers["national"].id)
    assert response.status_code == 303
    choices = page_data(client, response.headers["Location"].rsplit("/", 1)[1])["properties"]
    # The modeler draws depression_icbt.bpmn; a call activity there may call module.bpmn's process.
    assert choices["processes"] == [{"id": "module", "name": "Behandlingsmodul", "file": "module.bpmn"}]
    own = [form["path"] for form in choices["forms"] if not form["library"]]
    assert own == [f"forms/{path.name}" for path in sorted((DEPRESSION / "forms").glob("*.form"))]
    assert [form["value"] for form in choices["forms"] if form["library"]] == ["gad7.form", "madrs_s.form",
                                                                             "phq9.form", "who5.form"]


@pytest.mark.parametrize("kind, text, problems", [
    ("expression", "phq9_total >= 10 and not treatment_stopped", []),
    ("expression", "wellbeing ==", ["not a valid expression (invalid syntax)"]),
    ("expression", "__import__('os')", ["names starting with '_' are not allowed ('__import__')"]),
    ("expression", "open('x')", ["'open' is not an allowed function"]),
    ("script", "priority = 'high' if phq9_9 > 0 else 'normal'\nmodule_nr += 1", []),
    ("script", "", []),
    ("script", "x = 1\nprint(x)", ["line 2: only 'name = expression' lines are allowed in scripts (found Expr)"]),
])
def test_expressions_and_scripts_are_checked_by_the_sandbox_rules(demo, kind, text, problems):
    client = demo.staff("designer")
    program_id = create(client)
    assert answer(client, program_id, kind, text)["problems"] == problems


@pytest.mark.parametrize("text, iso, preview", [
    ("7 dagar", "P7D", "7 dagar"),
    ("2 veckor", "P2W", "2 veckor"),
    ("2 veckor och 3 dagar", "P17D", "17 dagar"),
    ("1 timme 30 minuter", "PT1H30M", "1 timme och 30 minuter"),
    ("7 days", "P7D", "7 dagar"),
    ("P7D", "P7D", "7 dagar"),
])
def test_a_duration_in_words_or_iso_becomes_iso_with_its_meaning(demo, text, iso, preview):
    client = demo.staff("designer")
    program_id = create(client)
    assert answer(client, program_id, "duration", text) == {"problems": [], "iso": iso, "preview": preview}


def test_the_preview_is_in_the_page_language(demo):
    client = demo.staff("designer")
    program_id = create(client)
    client.post("/sprak", data={"lang": "en", "next": "/", "csrf_token": csrf_token(client, "/design")})
    assert answer(client, program_id, "duration", "7 dagar")["preview"] == "7 days"
    assert answer(client, program_id, "cycle", "R4/P1W")["preview"] == "4 times, 1 week apart"
    assert page_data(client, program_id)["properties"]["helpers"][0]["text"].startswith("The number of")


def test_timers_the_engine_refuses_say_why(demo):
    client = demo.staff("designer")
    program_id = create(client)
    garbage = answer(client, program_id, "duration", "sju dagar ungefär")
    assert garbage["iso"] is None and garbage["problems"][0].startswith("timer expression: not a valid expression")
    too_long = answer(client, program_id, "duration", "30 år")
    assert too_long["problems"] == ["'P30Y' is longer than a timer may wait (at most 20 years)"]
    # An expression that makes the ISO text when the timer starts: fine, and no preview.
    assert answer(client, program_id, "duration", "duration(days=wait_days)") == {"problems": [], "iso": None, "preview": None}
    assert answer(client, program_id, "cycle", "R/P1W")["problems"] == [
        "the cycle 'R/P1W' repeats without end; give a count, e.g. R4/P1W"]
    assert answer(client, program_id, "cycle", "R4/P1W") == {"problems": [], "iso": "R4/P1W",
                                                          "preview": "4 gånger med 1 vecka emellan"}
    assert answer(client, program_id, "date", "2027-01-10T09:00:00")["problems"] == [
        "the date '2027-01-10T09:00:00' needs a UTC offset (e.g. +01:00 or Z)"]
    date = answer(client, program_id, "date", "2027-01-10T09:00:00+01:00")
    assert date == {"problems": [], "iso": "2027-01-10T09:00:00+01:00", "preview": "10 januari 2027 09:00"}


def test_instructions_come_back_as_the_resident_will_see_them(demo):
    client = demo.staff("designer")
    program_id = create(client)
    found = answer(client, program_id, "instructions", "## Hej {{ name }}\n\nLäs **noga**. <script>x</script>")
    assert found["problems"] == []
    assert found["html"] == ("<h2>Hej {{ name }}</h2>\n<p>Läs <strong>noga</strong>. "
                             "&lt;script&gt;x&lt;/script&gt;</p>")


def test_a_variable_name_is_a_name_and_may_share_a_helpers_name(demo):
    client = demo.staff("designer")
    program_id = create(client)
    assert answer(client, program_id, "name", "svar_tid")["problems"] == []
    assert answer(client, program_id, "name", "_hidden")["problems"] == ["'_hidden' is not a valid variable name"]
    # Data shadows the helper of its name (engine/shadowing.py finds a call of the shadowed helper).
    assert answer(client, program_id, "name", "score")["problems"] == []


def test_the_check_needs_the_token_the_unit_and_a_known_kind(demo):
    client = demo.staff("designer")
    program_id = create(client)
    assert ask(client, program_id, "expression", "1 + 1", token=False).status_code == 400
    assert ask(client, program_id, "python", "1 + 1").status_code == 400
    assert ask(client, program_id, "expression", None).status_code == 400
    assert ask(client, program_id, "instructions", "x" * 20_001).status_code == 400
    # A form post with the token as a field is accepted too.
    path = f"/design/program/{program_id}/uttryck"
    form = client.post(path, data={"kind": "expression", "text": "1 +", "csrf_token": csrf_token(client, path[:-7] + "modell")})
    assert form.status_code == 200 and form.json["problems"]
    assert ask(demo.staff("behandlare"), program_id, "expression", "1 + 1").status_code == 403
    db.session.get(DesignProgram, program_id).publisher_unit_id = demo.org.publishers["training"].id
    db.session.commit()
    refused = ask(client, program_id, "expression", "1 + 1")
    assert refused.status_code == 403 and "problems" not in refused.text
    assert db.session.query(DesignRevision).count() == 1  # nothing is ever stored
