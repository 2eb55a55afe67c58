"""The form editor in the browser: a designer opens a program's form in the vendored form-js editor
(Swedish palette with only the components the server renders), adds a field, previews it as the
server renders it in Swedish and English, answers the preview and reads the server's validation
message, inserts a locked instrument block, and saves; the saved file holds the new field. The real
editor also opens and saves every shipped form unchanged (design/form_schema.py round trip). axe
passes; the page fixture fails on any CSP report or script error."""
from __future__ import annotations

import json
import re

import pytest

from cli import demo, demo_people
from design import form_schema
from design.models import DesignProgram, DesignRevision
from design.revisions import files_of
from engine import clock
from engine.db import db
from tests.browser.axe import assert_accessible
from tests.browser.signin import sign_in_staff
from tests.browser.test_reflow import NARROW, WIDEST
from tests.design.test_form_schema import SHIPPED_FORMS

DESIGNER = next(row[1] for row in demo_people.STAFF if row[0] == "designer")
EDITOR = "document.getElementById('form-editor').vardflodeFormEditor"


@pytest.fixture()
def demo_clinic(ctx):
    clock.reset()
    demo.seed()
    db.session.commit()


def open_form_editor(open_page, program_name):
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, DESIGNER)
    page.goto("/design")
    page.fill("#blank-name", program_name)
    page.click("form[action='/design/nytt/tomt'] button[type=submit]")
    page.wait_for_url("**/design/program/*")
    page.click("a[href$='/formular']")
    page.wait_for_url("**/formular")
    assert_accessible(page)
    page.click("a[href$='/formular/first_answer']")
    page.wait_for_selector("#form-editor-save[data-ready=true]")
    return page


def saved_form(program_name: str) -> dict:
    db.session.expire_all()
    found = db.session.query(DesignProgram).filter_by(name=program_name).one()
    return json.loads(files_of(db.session.get(DesignRevision, found.head_revision_id))["forms/first_answer.form"])


def test_a_designer_adds_a_field_previews_it_and_saves(open_page, demo_clinic):
    page = open_form_editor(open_page, "Formulärprogram")
    palette = page.locator(".fjs-palette-field").evaluate_all("items => items.map(i => i.dataset.fieldType)")
    assert sorted(palette) == sorted(["textfield", "textarea", "number", "datetime", "checkbox", "checklist",
                                      "radio", "select", "text", "group"])
    assert page.locator(".fjs-palette-header").text_content() == "Komponenter"
    assert page.locator(".fjs-palette-field[data-field-type=textfield]").text_content().strip() == "Textfält"
    assert page.locator(".fjs-powered-by").count() >= 1  # the bpmn.io watermark (its licence)
    assert_accessible(page)

    # Add a number field through the editor's own modeling, as the palette's Enter key does.
    page.evaluate(f"""() => {{
        const editor = {EDITOR};
        const schema = editor._getState().schema;
        editor.get('modeling').addFormField({{ type: 'number', key: 'sleep_hours', label: 'Hur många timmar sov du?',
            validate: {{ required: true, min: 0, max: 24 }} }}, schema, schema.components.length);
    }}""")
    page.wait_for_selector("#form-editor .fjs-form-field-label >> text=Hur många timmar sov du?")
    # Its English label, in the panel's English group (a custom property the server reads).
    page.evaluate(f"""() => {{
        const editor = {EDITOR};
        editor.get('selection').set(editor.get('formFieldRegistry').getAll().find(f => f.key === 'sleep_hours'));
    }}""")
    page.locator(".bio-properties-panel-group-header >> text=Engelska").wait_for()
    english = page.locator("#bio-properties-panel-vf-label_en")
    if not english.is_visible():
        page.click(".bio-properties-panel-group-header >> text=Engelska")
    english.fill("How many hours did you sleep?")
    english.blur()
    page.wait_for_function(f"() => ({EDITOR}.saveSchema().components.find(c => c.key === 'sleep_hours')"
                           ".properties || {}).label_en === 'How many hours did you sleep?'")

    page.click("#form-preview-button")
    page.wait_for_selector("#form-preview section[lang=en]")
    swedish = page.locator("#form-preview section[lang=sv]")
    assert "Hur många timmar sov du?" in swedish.text_content()
    assert "How many hours did you sleep?" in page.locator("#form-preview section[lang=en]").text_content()
    assert page.locator("#form-preview section[lang=en] .form-required").first.text_content() == "(required)"
    assert_accessible(page)

    # Answer the Swedish preview out of range: the server's message, in Swedish.
    swedish.locator("input[name=sleep_hours]").fill("30")
    swedish.locator("button[type=submit]").click()
    page.wait_for_selector("#form-preview section[lang=sv] .form-error-summary")
    assert "Värdet måste vara mellan 0 och 24." in page.locator("#form-preview section[lang=sv]").text_content()
    assert page.locator("#form-preview section[lang=en] .form-error-summary").count() == 0

    # A locked instrument block: inserted whole, and an edit of its questions is undone.
    page.select_option("#form-instrument", "gad7")
    page.click("#form-instrument-insert")
    page.wait_for_selector("#form-editor .fjs-form-field-label >> text=Känt dig nervös, ängslig")
    page.evaluate(f"""() => {{
        const editor = {EDITOR};
        const field = editor.get('formFieldRegistry').getAll().find(f => f.key === 'gad7_1');
        editor.get('modeling').editFormField(field, 'label', 'Ändrad fråga');
    }}""")
    page.wait_for_function("() => document.getElementById('form-editor-status').textContent.includes('gad7')")
    assert page.evaluate(f"() => {EDITOR}.get('formFieldRegistry').getAll().find(f => f.key === 'gad7_1').label") \
        != "Ändrad fråga"
    # Selected, a question of the block shows the lock note instead of inputs.
    page.click("#form-editor .fjs-form-field-label >> text=Känt dig nervös, ängslig")
    note = page.locator(".vf-locked-note")
    note.wait_for()
    assert "gad7" in note.text_content() and "instrumentbiblioteket" in note.text_content()
    assert page.locator(".fjs-properties-container input, .fjs-properties-container textarea").count() == 0

    page.fill("#form-editor-message", "Sömnfrågan tillagd")
    page.click("#form-editor-save button[type=submit]")
    page.wait_for_url(re.compile(r"/formular$"))
    stored = saved_form("Formulärprogram")
    sleep = next(c for c in stored["components"] if c.get("key") == "sleep_hours")
    assert sleep["properties"] == {"label_en": "How many hours did you sleep?"}
    block = next(c for c in stored["components"] if c.get("properties", {}).get("instrument") == "gad7")
    assert form_schema.locked_block_problems(stored) == [] and block["components"]


def test_the_real_editor_saves_every_shipped_form_unchanged(open_page, demo_clinic):
    page = open_form_editor(open_page, "Rundresa")
    for path in SHIPPED_FORMS:
        data = path.read_bytes()
        saved = page.evaluate(f"""async schema => {{
            const editor = {EDITOR};
            await editor.importSchema(schema);
            return editor.saveSchema();
        }}""", json.loads(data))
        assert form_schema.to_file(saved, data) == data, path.name


def assert_fits(page):
    """No sideways scrolling at 320 px (the editor's own box may scroll: a two-dimensional editor)."""
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, \
        f"{page.url} scrolls sideways: {page.evaluate(WIDEST)}"


@pytest.mark.parametrize("locale", ["sv-SE", "en-GB"])
def test_the_form_and_text_pages_fit_320_px_and_pass_axe(chromium, live_server, demo_clinic, locale):
    context = chromium.new_context(base_url=live_server, locale=locale, **NARROW)
    context.set_default_timeout(10_000)
    blocked = []
    page = context.new_page()
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: blocked.append(f"script error: {error}"))
    try:
        page.goto("/logga-in/medarbetare")
        sign_in_staff(page, DESIGNER)
        page.goto("/design")
        page.fill("#blank-name", "Smalt program")
        page.click("form[action='/design/nytt/tomt'] button[type=submit]")
        page.wait_for_url("**/design/program/*")
        program = page.url
        for path in ("", "/formular", "/texter"):
            page.goto(program + path)
            assert_fits(page)
            assert_accessible(page)
        page.goto(program + "/formular/first_answer")
        page.wait_for_selector("#form-editor-save[data-ready=true]")
        page.click("#form-preview-button")
        page.wait_for_selector("#form-preview section[lang=en]")
        assert_fits(page)
        assert_accessible(page)
        page.goto(program + "/texter/modul_1")
        page.fill("#text-body", "# Välkommen\n\nEn **första** modul.\n\n- ett\n- två")
        page.click("button[value=preview]")
        page.wait_for_selector("#text-preview h2")
        assert_fits(page)
        assert_accessible(page)
    finally:
        context.close()
    assert blocked == []
