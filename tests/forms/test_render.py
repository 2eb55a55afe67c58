"""Server-rendered HTML: what a screen reader or keyboard user gets."""
from html.parser import HTMLParser

from forms import load_form, render_form, validate

FORM = load_form({"components": [
    {"type": "text", "id": "t1", "text": "Läs <b>noga</b>.\n\nAndra stycket."},
    {"type": "textfield", "id": "q1", "key": "name", "label": "Namn <script>alert(1)</script>",
     "description": "Som i passet", "validate": {"required": True},
     "properties": {"label_en": "Name", "description_en": "As in your passport"}},
    {"type": "number", "id": "q2", "key": "age", "label": "Ålder", "decimalDigits": 0,
     "validate": {"min": 18, "max": 120}},
    {"type": "checkbox", "id": "q3", "key": "consent", "label": "Samtycke"},
    {"type": "radio", "id": "q4", "key": "mood", "label": "Humör", "validate": {"required": True},
     "values": [{"label": "Dåligt", "value": 1}, {"label": "Bra", "value": 2}]},
    {"type": "checklist", "id": "q5", "key": "symptoms", "label": "Symtom",
     "values": [{"label": "Huvudvärk", "value": "headache"}, {"label": "Illamående", "value": "nausea"}]},
    {"type": "select", "id": "q6", "key": "ward", "label": "Avdelning", "values": [{"label": "Avd 1", "value": "a1"}]},
    {"type": "datetime", "id": "q7", "key": "visit", "subtype": "date", "dateLabel": "Besök"},
    {"type": "group", "id": "g1", "label": "Övrigt",
     "components": [{"type": "textarea", "id": "q8", "key": "notes", "label": "Anteckningar"}]},
]}, "intake.form")


class Elements(HTMLParser):
    """Collects (tag, attrs) and text per tag, enough to check structure."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.text = [], []
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def by_id(self, element_id):
        return next(a for t, a in self.tags if a.get("id") == element_id)


def controls(page):
    return [a for t, a in page.tags if t in ("input", "select", "textarea")]


def test_designer_text_is_escaped():
    html = str(render_form(FORM))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>" not in html and "<p>Läs &lt;b&gt;noga&lt;/b&gt;.</p><p>Andra stycket.</p>" in html


def test_every_control_has_a_label_and_ids_are_prefixed():
    page = Elements(render_form(FORM))
    label_targets = {a["for"] for a in page.find("label")}
    for control in controls(page):
        assert control["id"].startswith("f-") and control["id"] in label_targets
    assert "<form" not in str(render_form(FORM)) and not page.find("button") and not page.find("input", type="submit")


def test_option_groups_use_fieldset_and_legend():
    html = str(render_form(FORM))
    assert '<fieldset id="f-mood"' in html and "<legend>Humör" in html
    assert '<fieldset id="f-symptoms"' in html and "<legend>Symtom</legend>" in html


def test_required_and_description_are_announced():
    page = Elements(render_form(FORM))
    name = page.by_id("f-name")
    assert "required" in name and name["aria-required"] == "true"
    assert name["aria-describedby"] == "f-name-hint" and page.by_id("f-name-hint")
    assert "(obligatoriskt)" in page.text
    english = " ".join(Elements(render_form(FORM, locale="en")).text)
    assert "Name" in english and "(required)" in english and "As in your passport" in english


def test_input_types():
    page = Elements(render_form(FORM))
    age = page.by_id("f-age")
    assert (age["type"], age["min"], age["max"], age["step"], age["inputmode"]) == ("number", "18", "120", "1", "numeric")
    assert page.by_id("f-visit")["type"] == "date"


def test_errors_are_linked_from_summary_and_marked_on_fields():
    data = {"age": "12"}
    _, errors = validate(FORM, data)
    page = Elements(render_form(FORM, data, errors))
    summary = page.find("div", role="alert")
    assert summary and summary[0]["class"] == "form-error-summary"
    links = [a["href"] for a in page.find("a")]
    assert links == ["#f-name", "#f-age", "#f-mood-0"]
    for href in links:
        assert page.by_id(href[1:])  # every link lands on an element
    age = page.by_id("f-age")
    assert age["aria-invalid"] == "true" and age["aria-describedby"] == "f-age-error"
    assert page.by_id("f-age-error")
    assert "Värdet måste vara mellan 18 och 120." in "".join(page.text)
    assert page.by_id("f-name")["aria-describedby"] == "f-name-hint f-name-error"


def test_no_summary_without_errors():
    assert 'role="alert"' not in str(render_form(FORM, {"name": "Bo"}, {}))


def test_previous_values_are_refilled():
    class Post:  # werkzeug-like: repeated names for ticked checkboxes
        pairs = [("name", 'Bo "B"'), ("age", "40"), ("consent", "on"), ("mood", "2"),
                 ("symptoms", "headache"), ("symptoms", "nausea"), ("ward", "a1"),
                 ("visit", "2024-05-01"), ("notes", "<hej>")]

        def getlist(self, key):
            return [v for k, v in self.pairs if k == key]

    html = str(render_form(FORM, Post()))
    page = Elements(html)
    assert page.by_id("f-name")["value"] == 'Bo "B"' and page.by_id("f-age")["value"] == "40"
    assert "checked" in page.by_id("f-consent") and "checked" in page.by_id("f-mood-1")
    assert "checked" not in page.by_id("f-mood-0")
    assert "checked" in page.by_id("f-symptoms-0") and "checked" in page.by_id("f-symptoms-1")
    assert "selected" in page.find("option", value="a1")[0]
    assert page.by_id("f-visit")["value"] == "2024-05-01"
    assert "&lt;hej&gt;</textarea>" in html
    # Clean data (typed values) refills the same way.
    assert "checked" in Elements(render_form(FORM, {"mood": 2, "consent": True})).by_id("f-mood-1")


def test_swedish_shown_on_an_english_page_is_marked_as_swedish():
    # WCAG 3.1.2: a screen reader reads "Ålder" with Swedish pronunciation only when told.
    english = str(render_form(FORM, locale="en"))
    assert '<span lang="sv">Ålder</span>' in english  # no label_en: the Swedish label, marked
    assert '<div class="form-text" lang="sv">' in english  # the text block has no English either
    assert '<span lang="sv">Dåligt</span>' in english and '<option value="a1" lang="sv">Avd 1</option>' in english
    assert '<legend><span lang="sv">Övrigt</span></legend>' in english
    assert "Name" in english and '<span lang="sv">Namn' not in english  # English where there is English
    assert 'lang="sv"' not in str(render_form(FORM))  # a Swedish page is Swedish already
