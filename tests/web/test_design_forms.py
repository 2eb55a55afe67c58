"""The design tool's form screens (web/design/form_editor.py), through the test client and the real
database: the list and a new form, a save that replaces one file, 409 keeping the designer's form,
a changed instrument block refused, and the preview: the server's own rendering in Swedish and
English, with its validation messages when answered, storing nothing."""
from __future__ import annotations

import json

from design.models import DesignRevision
from design.revisions import files_of
from design import form_schema
from engine.db import db
from tests.web.signin import csrf_token, demo  # noqa: F401
from tests.web.test_design_screens import create, head


def form_page(program_id, name="first_answer"):
    return f"/design/program/{program_id}/formular/{name}"


def save_form(client, program_id, name, schema, based_on, message=""):
    path = form_page(program_id, name)
    return client.post(path, data={"schema": json.dumps(schema), "based_on": based_on, "message": message,
                                   "csrf_token": csrf_token(client, path)})


def head_files(program_id):
    return files_of(db.session.get(DesignRevision, head(program_id)))


def preview(client, program_id, schema, name="first_answer", **answers):
    path = form_page(program_id, name)
    data = {"vf-schema": json.dumps(schema), "csrf_token": csrf_token(client, path), **answers}
    return client.post(f"{path}/forhandsvisning", data=data)


MOOD = {"type": "default", "id": "mood", "schemaVersion": 19, "components": [
    {"type": "number", "id": "Field_mood", "key": "mood", "label": "Hur mår du (0–10)?",
     "validate": {"required": True, "min": 0, "max": 10}, "properties": {"label_en": "How are you (0–10)?"},
     "layout": {"row": "Row_1", "columns": None}}]}


def test_the_program_page_links_to_forms_and_texts_and_the_list_opens_the_editor(demo):
    client = demo.staff("designer")
    program_id = create(client)
    page = client.get(f"/design/program/{program_id}").text
    assert f"/design/program/{program_id}/formular" in page and f"/design/program/{program_id}/texter" in page
    listing = client.get(f"/design/program/{program_id}/formular")
    assert listing.status_code == 200 and f'href="{form_page(program_id)}"' in listing.text
    editor = client.get(form_page(program_id))
    assert editor.status_code == 200
    assert "vendor/form-editor/form-editor.js" in editor.text and "design_forms.js" in editor.text
    assert f'name="based_on" value="{head(program_id)}"' in editor.text
    assert "<script>" not in editor.text and "style=" not in editor.text  # the CSP allows neither
    data = json.loads(editor.text.split('id="form-editor-data">', 1)[1].split("</script>", 1)[0])
    assert data["schema"]["components"] and set(data["library"]) == {"phq9", "gad7", "madrs_s", "who5"}
    assert "PHQ-9" in editor.text  # the instrument to insert, by name


def test_a_new_form_opens_empty_and_is_stored_only_when_saved(demo):
    client = demo.staff("designer")
    program_id = create(client)
    path = f"/design/program/{program_id}/formular"
    bad = client.post(path, data={"name": "../etc", "csrf_token": csrf_token(client, path)})
    assert bad.status_code == 400 and 'role="alert"' in bad.text
    taken = client.post(path, data={"name": "first_answer", "csrf_token": csrf_token(client, path)})
    assert taken.status_code == 400 and "first_answer" in taken.text
    made = client.post(path, data={"name": "mood", "csrf_token": csrf_token(client, path)})
    assert made.status_code == 303 and made.headers["Location"].endswith(form_page(program_id, "mood"))
    assert "forms/mood.form" not in head_files(program_id)
    before = head(program_id)
    assert save_form(client, program_id, "mood", MOOD, before, "humörfråga").status_code == 303
    files = head_files(program_id)
    stored = json.loads(files["forms/mood.form"])
    assert stored["components"][0]["key"] == "mood" and "layout" not in stored["components"][0]
    assert db.session.get(DesignRevision, head(program_id)).message == "humörfråga"
    assert "mood.form" in client.get(path).text


def test_saving_a_form_unchanged_stores_nothing_new_and_a_change_replaces_only_that_file(demo):
    client = demo.staff("designer")
    program_id = create(client)
    before = head(program_id)
    old = head_files(program_id)
    schema = form_schema.for_editor(old["forms/first_answer.form"], "first_answer")
    assert save_form(client, program_id, "first_answer", schema, before).status_code == 303
    assert head(program_id) == before  # the same file: the head again, nothing stored twice
    schema["components"][0]["label"] = "Hur har veckan varit?"
    assert save_form(client, program_id, "first_answer", schema, before).status_code == 303
    new = head_files(program_id)
    assert [n for n in old if old[n] != new[n]] == ["forms/first_answer.form"] and set(new) == set(old)
    assert "Hur har veckan varit?" in new["forms/first_answer.form"].decode()


def test_a_stale_form_save_answers_409_and_keeps_the_designers_form(demo):
    client = demo.staff("designer")
    program_id = create(client)
    base = head(program_id)
    assert save_form(client, program_id, "mood", MOOD, base, "först").status_code == 303
    newer = head(program_id)
    mine = dict(MOOD, components=[dict(MOOD["components"][0], label="Min egen fråga")])
    response = save_form(client, program_id, "mood", mine, base, "min")
    assert response.status_code == 409
    assert "Dora Designer" in response.text and "först" in response.text
    assert "Min egen fråga" in response.text  # the designer's form is in the page
    assert f'name="based_on" value="{newer}"' in response.text and head(program_id) == newer
    assert save_form(client, program_id, "mood", mine, newer).status_code == 303
    assert "Min egen fråga" in head_files(program_id)["forms/mood.form"].decode()


def test_a_changed_instrument_block_is_refused_and_an_intact_one_saved(demo):
    client = demo.staff("designer")
    program_id = create(client)
    base = head(program_id)
    block = form_schema.instrument_block("phq9")
    intact = {"type": "default", "id": "veckans", "components": [block]}
    assert save_form(client, program_id, "veckans", intact, base).status_code == 303
    saved = head(program_id)
    changed = json.loads(json.dumps(intact))
    changed["components"][0]["components"][1]["label"] = "1. Mår du bra?"
    response = save_form(client, program_id, "veckans", changed, saved)
    assert response.status_code == 400 and "phq9" in response.text and 'role="alert"' in response.text
    assert "1. Mår du bra?" in response.text  # kept for the designer
    assert head(program_id) == saved


def test_a_form_that_is_no_json_is_refused_and_nothing_stored(demo):
    client = demo.staff("designer")
    program_id = create(client)
    base = head(program_id)
    path = form_page(program_id)
    response = client.post(path, data={"schema": "inte json", "based_on": base, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 400 and 'role="alert"' in response.text and head(program_id) == base


def test_the_preview_is_the_servers_rendering_in_swedish_and_english(demo):
    client = demo.staff("designer")
    program_id = create(client)
    page = preview(client, program_id, MOOD)
    assert page.status_code == 200
    assert 'lang="sv"' in page.text and 'lang="en"' in page.text
    assert "Hur mår du (0–10)?" in page.text and "How are you (0–10)?" in page.text
    assert 'name="mood"' in page.text and "(obligatoriskt)" in page.text and "(required)" in page.text
    token = csrf_token(client, form_page(program_id))
    fragment = client.post(f"{form_page(program_id)}/forhandsvisning", headers={"X-Preview": "1"},
                           data={"vf-schema": json.dumps(MOOD), "csrf_token": token})
    assert fragment.status_code == 200 and "<html" not in fragment.text and "How are you" in fragment.text


def test_answering_the_preview_shows_the_servers_validation_messages_and_stores_nothing(demo):
    client = demo.staff("designer")
    program_id = create(client)
    before = db.session.query(DesignRevision).count()
    swedish = preview(client, program_id, MOOD, **{"vf-lang": "sv", "mood": "11"})
    assert swedish.status_code == 200
    assert "Värdet måste vara mellan 0 och 10." in swedish.text and "Formuläret innehåller fel" in swedish.text
    english = preview(client, program_id, MOOD, **{"vf-lang": "en", "mood": ""})
    assert "This field is required." in english.text and "Värdet" not in english.text
    fine = preview(client, program_id, MOOD, **{"vf-lang": "sv", "mood": "7"})
    assert "Servern godtar svaren." in fine.text and 'value="7"' in fine.text
    assert db.session.query(DesignRevision).count() == before


def test_a_form_the_server_cannot_render_names_its_problems(demo):
    client = demo.staff("designer")
    program_id = create(client)
    bad = {"components": [{"type": "button", "id": "Button_1", "label": "Skicka"},
                          {"type": "textfield", "id": "Field_2", "key": "Namn", "label": "Namn"}]}
    page = preview(client, program_id, bad)
    assert page.status_code == 200 and 'role="alert"' in page.text
    assert "Button_1: unsupported component type" in page.text and "Field_2: &#39;key&#39;" in page.text
    assert preview(client, program_id, "inte json").status_code == 400


def test_another_units_designer_and_a_clinician_are_refused(demo):
    client = demo.staff("designer")
    program_id = create(client)
    for path in (f"/design/program/{program_id}/formular", form_page(program_id)):
        assert demo.staff("behandlare").get(path).status_code == 403
    assert client.get(f"/design/program/{program_id}/formular/..%2Fprogram").status_code == 404
