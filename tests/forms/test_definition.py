"""Loading form-js documents: what a form designer sees when saving a form."""
import json

import pytest

from forms import Form, FormError, load_form


def doc(*components):
    return {"type": "default", "schemaVersion": 19, "components": list(components)}


def text(cid, key, **extra):
    return {"type": "textfield", "id": cid, "key": key, "label": "Namn", **extra}


def problems(raw, name="intake.form"):
    with pytest.raises(FormError) as info:
        load_form(raw, name)
    return info.value


def test_loads_all_supported_types_from_json_text():
    raw = doc(
        {"type": "text", "id": "t1", "text": "Välkommen"},
        text("q1", "name", properties={"label_en": "Name"}),
        {"type": "textarea", "id": "q2", "key": "notes", "label": "Anteckningar"},
        {"type": "number", "id": "q3", "key": "age", "label": "Ålder", "decimalDigits": 0},
        {"type": "checkbox", "id": "q4", "key": "consent", "label": "Samtycke"},
        {"type": "checklist", "id": "q5", "key": "symptoms", "label": "Symtom",
         "values": [{"label": "Huvudvärk", "value": "headache"}]},
        {"type": "radio", "id": "q6", "key": "ward", "label": "Avdelning", "values": [{"label": "Ett", "value": 1}]},
        {"type": "select", "id": "q7", "key": "lang", "label": "Språk", "values": [{"label": "Svenska", "value": "sv"}]},
        {"type": "datetime", "id": "q8", "key": "visit", "subtype": "date", "dateLabel": "Besöksdatum"},
        {"type": "group", "id": "g1", "label": "Mer", "components": [text("q9", "extra")]},
    )
    form = load_form(json.dumps(raw).encode(), "intake.form")
    assert isinstance(form, Form)
    assert [c.key for c in form.fields] == [
        "name", "notes", "age", "consent", "symptoms", "ward", "lang", "visit", "extra"]
    name = form.field("name")
    assert (name.localized("label", "sv"), name.localized("label", "en")) == ("Namn", "Name")
    assert form.field("notes").localized("label", "en") == "Anteckningar"  # falls back to Swedish
    assert form.field("age").integer and form.field("visit").label == "Besöksdatum"


def test_unknown_type_is_named_with_form_and_component():
    err = problems(doc({"type": "filepicker", "id": "q1", "key": "upload", "label": "Fil"}))
    assert str(err) == "intake.form: q1: unsupported component type 'filepicker'"
    assert err.problems == [("q1", "unsupported component type 'filepicker'")]


def test_feel_expressions_and_conditionals_are_rejected_with_component_id():
    err = problems(doc(
        text("q1", "name", label="=upper(name)"),
        text("q2", "other", conditional={"hide": "=age < 18"}),
    ))
    ids = [cid for cid, _ in err.problems]
    assert "q1" in ids and "q2" in ids
    assert "intake.form: q1: FEEL expressions are not supported (in 'label')" in str(err).splitlines()
    assert any("conditional" in reason for cid, reason in err.problems if cid == "q2")


def test_all_problems_are_reported_not_just_the_first():
    err = problems(doc(
        {"type": "filepicker", "id": "q1"},
        text("q2", "_secret"),
        text("q3", "Name"),
        text("q4", "dup"),
        text("q5", "dup"),
        {"type": "datetime", "id": "q6", "key": "when", "subtype": "datetime", "dateLabel": "När"},
        text("q7", "name\n"),
        {"type": ["textfield"], "id": "q8"},
    ))
    assert [cid for cid, _ in err.problems] == ["q1", "q2", "q3", "q5", "q6", "q7", "q8"]
    assert len(str(err).splitlines()) == 7
    assert all(line.startswith("intake.form: ") for line in str(err).splitlines())


@pytest.mark.parametrize("validate, expected", [
    ({"pattern": "("}, "not a valid regular expression"),
    ({"pattern": "a" * 201}, "at most 200 characters"),
    ({"min": 1}, "'min' is not supported for textfield"),
    ({"minLength": 5, "maxLength": 2}, "'validate.minLength' is greater than 'validate.maxLength'"),
])
def test_bad_validation_rules(validate, expected):
    assert expected in str(problems(doc(text("q1", "name", validate=validate))))


def test_inputs_need_label_and_options_need_values():
    err = problems(doc(
        {"type": "textfield", "id": "q1", "key": "name"},
        {"type": "radio", "id": "q2", "key": "pick", "label": "Välj", "values": []},
        {"type": "select", "id": "q3", "key": "mix", "label": "Blandat",
         "values": [{"label": "a", "value": "a"}, {"label": "b", "value": 2}]},
    ))
    assert [cid for cid, _ in err.problems] == ["q1", "q2", "q3"]


def test_document_limits():
    assert "too large" in str(problems(json.dumps(doc(text("q1", "n", description="x" * 210_000)))))
    many = doc(*[{"type": "text", "id": f"t{i}", "text": "hej"} for i in range(501)])
    assert "too many components (501" in str(problems(many))
    assert "not valid JSON" in str(problems(b"{not json"))
    assert "no 'components' list" in str(problems({"schemaVersion": 19}))
