"""Server-side validation: what a patient or clinician sees after submitting."""
import pytest
from marshmallow import Schema, ValidationError

from forms import build_schema, load_form, validate


class FakeMultiDict:
    """The parts of werkzeug's MultiDict that a browser POST gives us."""

    def __init__(self, pairs):
        self.pairs = pairs

    def keys(self):
        return list(dict.fromkeys(k for k, _ in self.pairs))

    def getlist(self, key):
        return [v for k, v in self.pairs if k == key]

    def get(self, key, default=None):
        return next((v for k, v in self.pairs if k == key), default)


FORM = load_form({"components": [
    {"type": "textfield", "id": "q1", "key": "personnummer", "label": "Personnummer",
     "validate": {"required": True, "pattern": r"^\d{8}-\d{4}$"}},
    {"type": "number", "id": "q2", "key": "weight_kg", "label": "Vikt", "validate": {"min": 20, "max": 300}},
    {"type": "number", "id": "q3", "key": "cigarettes", "label": "Cigaretter per dag",
     "decimalDigits": 0, "validate": {"min": 0}},
    {"type": "select", "id": "q4", "key": "ward", "label": "Avdelning",
     "values": [{"label": "Avd 1", "value": "a1"}, {"label": "Avd 2", "value": "a2"}]},
    {"type": "radio", "id": "q5", "key": "mood", "label": "Humör", "values": [
        {"label": "Dåligt", "value": 1}, {"label": "Bra", "value": 2}]},
    {"type": "checklist", "id": "q6", "key": "symptoms", "label": "Symtom", "values": [
        {"label": "Huvudvärk", "value": "headache"}, {"label": "Illamående", "value": "nausea"}]},
    {"type": "checkbox", "id": "q7", "key": "consent", "label": "Jag samtycker"},
    {"type": "textarea", "id": "q8", "key": "notes", "label": "Övrigt", "validate": {"maxLength": 5}},
    {"type": "datetime", "id": "q9", "key": "visit", "subtype": "date", "dateLabel": "Besök"},
]}, "intake.form")

VALID = {"personnummer": "19800101-1234"}


def test_valid_html_input_is_coerced_and_blanks_get_defaults():
    clean, errors = validate(FORM, {**VALID, "weight_kg": "72,5", "cigarettes": "", "ward": "a2",
                                    "mood": "2", "consent": "on", "notes": "", "visit": "2024-05-01"})
    assert errors == {}
    assert clean == {"personnummer": "19800101-1234", "weight_kg": 72.5, "cigarettes": None, "ward": "a2",
                     "mood": 2, "symptoms": [], "consent": True, "notes": "", "visit": "2024-05-01"}


def test_unknown_field_is_rejected_in_both_languages():
    assert validate(FORM, {**VALID, "is_admin": "1"})[1] == {"is_admin": ["Okänt fält."]}
    assert validate(FORM, {**VALID, "is_admin": "1"}, locale="en")[1] == {"is_admin": ["Unknown field."]}
    schema = build_schema(FORM)
    assert isinstance(schema, Schema)
    with pytest.raises(ValidationError):
        schema.load({**VALID, "is_admin": "1"})


def test_required_missing_swedish_and_english():
    for blank in ({}, {"personnummer": ""}, {"personnummer": "   "}):
        assert validate(FORM, blank) == ({}, {"personnummer": ["Fältet måste fyllas i."]})
    assert validate(FORM, {}, locale="en")[1] == {"personnummer": ["This field is required."]}


@pytest.mark.parametrize("weight, ok", [("19.99", False), ("20", True), ("300", True), ("300.01", False)])
def test_min_max_boundaries(weight, ok):
    clean, errors = validate(FORM, {**VALID, "weight_kg": weight})
    assert (errors == {}) is ok
    if not ok:
        assert errors == {"weight_kg": ["Värdet måste vara mellan 20 och 300."]}
        assert validate(FORM, {**VALID, "weight_kg": weight}, "en")[1] == {
            "weight_kg": ["The value must be between 20 and 300."]}


def test_whole_numbers_and_non_numbers():
    assert validate(FORM, {**VALID, "cigarettes": "2.5"})[1] == {"cigarettes": ["Ange ett heltal."]}
    assert validate(FORM, {**VALID, "cigarettes": "-1"})[1] == {"cigarettes": ["Värdet måste vara minst 0."]}
    assert validate(FORM, {**VALID, "weight_kg": "mycket"}, "en")[1] == {"weight_kg": ["Enter a number."]}


def test_pattern_and_length():
    assert validate(FORM, {"personnummer": "800101-1234"})[1] == {"personnummer": ["Felaktigt format."]}
    assert validate(FORM, {**VALID, "notes": "12345"})[1] == {}
    assert validate(FORM, {**VALID, "notes": "123456"})[1] == {
        "notes": ["Texten får vara högst 5 tecken lång."]}


def test_option_not_in_list():
    assert validate(FORM, {**VALID, "ward": "a3"})[1] == {"ward": ["Välj ett av alternativen."]}
    assert validate(FORM, {**VALID, "mood": "3"}, "en")[1] == {"mood": ["Choose one of the options."]}


def test_checklist_from_multidict():
    post = FakeMultiDict([("personnummer", "19800101-1234"), ("symptoms", "headache"), ("symptoms", "nausea")])
    clean, errors = validate(FORM, post)
    assert errors == {} and clean["symptoms"] == ["headache", "nausea"]
    bad = FakeMultiDict([("personnummer", "19800101-1234"), ("symptoms", "headache"), ("symptoms", "fever")])
    assert validate(FORM, bad)[1] == {"symptoms": ["Välj ett av alternativen."]}


def test_required_checkbox_and_checklist():
    form = load_form({"components": [
        {"type": "checkbox", "id": "c1", "key": "consent", "label": "Samtycke", "validate": {"required": True}},
        {"type": "checklist", "id": "c2", "key": "days", "label": "Dagar", "validate": {"required": True},
         "values": [{"label": "Mån", "value": "mon"}]},
    ]}, "consent.form")
    assert validate(form, {}) == ({}, {"consent": ["Kryssa i rutan för att fortsätta."],
                                       "days": ["Välj minst ett alternativ."]})
    assert validate(form, FakeMultiDict([("consent", "on"), ("days", "mon")])) == (
        {"consent": True, "days": ["mon"]}, {})


def test_bad_dates_and_hostile_input_never_raise():
    assert validate(FORM, {**VALID, "visit": "2024-02-30"})[1] == {"visit": ["Ange ett datum i formatet ÅÅÅÅ-MM-DD."]}
    for junk in (None, [], "text", {"personnummer": {"$ne": 1}, "symptoms": [{}], "weight_kg": True}):
        clean, errors = validate(FORM, junk)
        assert clean == {} and errors
