"""Forms between the package and the form editor (design/form_schema.py): every shipped form, opened
and saved back unchanged (with the bookkeeping the editor adds), is the same file byte for byte; a
changed form is stored as JSON that forms/ still loads; the instrument blocks are the library's and
an edited block is named. The real form-js editor does the same round trip in
tests/browser/test_design_forms.py."""
from __future__ import annotations

import copy
import json

import pytest

import forms
from design import form_schema, template
from tests.design.support import ROOT

SHIPPED_FORMS = sorted((ROOT / "workflows").rglob("*.form")) + sorted((ROOT / "forms" / "instruments").glob("*.form"))


def as_the_editor_saves(schema: dict) -> dict:
    """What form-js's saveSchema gives for a form it opened: a generated layout row on each component."""
    out = copy.deepcopy(schema)

    def walk(components):
        for number, component in enumerate(components):
            component["layout"] = {"row": f"Row_{number:07x}", "columns": None}
            walk(component.get("components", []))
    walk(out["components"])
    return out


def test_the_shipped_forms_are_all_covered():
    names = {p.name for p in SHIPPED_FORMS}
    assert {"weekly.form", "sleep_diary.form", "phq9.form", "who5.form"} <= names and len(names) >= 14


@pytest.mark.parametrize("path", SHIPPED_FORMS, ids=lambda p: p.name)
def test_opening_and_saving_a_shipped_form_unchanged_gives_the_same_file(path):
    data = path.read_bytes()
    schema = form_schema.for_editor(data, path.stem)
    saved = as_the_editor_saves(schema)
    assert saved != json.loads(data)  # the editor did add its bookkeeping
    assert form_schema.to_file(saved, data) == data


def test_the_blank_templates_form_round_trips_too():
    data = template.blank("Prov")["forms/first_answer.form"]
    assert form_schema.to_file(as_the_editor_saves(form_schema.for_editor(data, "first_answer")), data) == data


def test_a_changed_form_is_stored_in_the_files_own_indentation_and_still_loads():
    path = ROOT / "workflows" / "programs" / "depression_icbt" / "forms" / "weekly.form"
    data = path.read_bytes()
    schema = as_the_editor_saves(form_schema.for_editor(data, "weekly"))
    schema["components"][0]["text"] = "## Veckans skattning, ny text"
    stored = form_schema.to_file(schema, data)
    assert stored != data and stored.startswith(b'{\n "type"')  # one space, as weekly.form has
    assert b'"layout"' not in stored and "ny text".encode() in stored
    assert forms.load_form(stored, "weekly.form").field("phq9_1") is not None


def test_a_new_form_starts_empty_and_is_stored_with_two_spaces():
    schema = form_schema.for_editor(None, "uppfoljning")
    assert schema == {"type": "default", "id": "uppfoljning", "schemaVersion": 19, "components": []}
    schema["components"].append({"type": "textfield", "id": "Field_1", "key": "namn", "label": "Namn",
                                 "layout": {"row": "Row_1", "columns": None}})
    stored = form_schema.to_file(schema)
    assert stored.startswith(b'{\n  "type"') and stored.endswith(b"}\n")
    assert forms.load_form(stored, "uppfoljning.form").field("namn").label == "Namn"


def test_a_designers_layout_columns_are_kept():
    schema = {"components": [{"type": "textfield", "id": "a", "key": "a", "label": "A",
                              "layout": {"row": "Row_1", "columns": 8}}]}
    assert json.loads(form_schema.to_file(schema))["components"][0]["layout"] == {"row": "Row_1", "columns": 8}


def test_what_is_no_form_is_refused():
    for sent in ("inte json", "[1, 2]", '{"type": "default"}', '{"components": {}}'):
        with pytest.raises(form_schema.FormSchemaError):
            form_schema.parse(sent)
    assert form_schema.parse('{"components": []}') == {"components": []}


def test_each_instrument_is_a_block_with_the_librarys_questions():
    blocks = {b["id"]: b for b in form_schema.instrument_blocks()}
    assert set(blocks) == {"phq9", "gad7", "madrs_s", "who5"}
    phq9 = blocks["phq9"]
    assert phq9["name_sv"].startswith("PHQ-9") and phq9["block"]["properties"] == {"instrument": "phq9"}
    # The block in a form loads and has the library's item keys, so score('phq9') finds them.
    form = forms.load_form({"components": [phq9["block"]]}, "med_phq9.form")
    assert [f.key for f in form.fields] == [f"phq9_{n}" for n in range(1, 10)]


def test_an_edited_block_is_named_and_an_intact_one_passes():
    block = as_the_editor_saves({"components": [form_schema.instrument_block("gad7")]})["components"][0]
    schema = {"components": [{"type": "text", "id": "intro", "text": "Hej"}, block]}
    assert form_schema.locked_block_problems(schema) == []
    block["components"][1]["label"] = "1. Något helt annat"
    assert form_schema.locked_block_problems(schema) == ["gad7"]
    block["components"][1:2] = []  # a question taken out
    assert form_schema.locked_block_problems(schema) == ["gad7"]
    fake = {"type": "group", "id": "x", "components": [], "properties": {"instrument": "egen"}}
    assert form_schema.locked_block_problems({"components": [fake]}) == ["egen"]
