"""The design tool from a blank program to a tested draft, in real browsers (issue 11's story):
Dora makes a program from blank, adds a question in the form editor, draws an exclusive gateway
with a condition, a seven-day timer and a second end, sees the validator's finding on the timer
until she gives it its time, saves, test-runs it as the test resident, answers, moves the run's
clock past the timer, and reads the trace and the coverage on the diagram. A second browser that
opened the same version saves over it and gets the 409 with its own drawing kept. axe passes on
the way; the page fixture fails on any CSP report."""
from __future__ import annotations

import re

import pytest

from cli import demo, demo_people
from engine import clock
from engine.db import db
from tests.browser.axe import assert_accessible
from tests.browser.signin import sign_in_staff

pytestmark = pytest.mark.browser
DESIGNER = next(row[1] for row in demo_people.STAFF if row[0] == "designer")
EDITOR = "document.getElementById('form-editor').vardflodeFormEditor"
MODELER = "document.getElementById('modeler-canvas').vardflodeModeler"

# Drawn through bpmn-js's own modeling, as the palette and context pad do: first_answer → a
# gateway; "hours < 6" → a timer (no time yet) → the end; by default → a second end.
DRAW = f"""() => {{
    const m = {MODELER};
    const modeling = m.get('modeling'), registry = m.get('elementRegistry'), moddle = m.get('moddle');
    const task = registry.get('first_answer'), end = registry.get('end'), lane = registry.get('Lane_invanare');
    const at = (dx, dy) => ({{ x: task.x + task.width + dx, y: task.y + task.height / 2 + dy }});
    const place = (attrs, where, id) => {{
        const shape = modeling.createShape(attrs, where, lane);
        modeling.updateProperties(shape, {{ id }});
        return shape;
    }};
    modeling.removeConnection(registry.get('flow_2'));
    const gateway = place({{ type: 'bpmn:ExclusiveGateway' }}, at(60, 0), 'gw_hours');
    modeling.updateLabel(gateway, 'Sover lite?');
    const timer = place({{ type: 'bpmn:IntermediateCatchEvent', eventDefinitionType: 'bpmn:TimerEventDefinition' }},
                        at(160, 0), 'wait_week');
    modeling.updateLabel(timer, 'En vecka');
    const other = place({{ type: 'bpmn:EndEvent' }}, at(160, 80), 'end_fine');
    modeling.moveShape(end, {{ x: at(260, 0).x - end.x - end.width / 2, y: at(260, 0).y - end.y - end.height / 2 }});
    modeling.connect(task, gateway);
    const short = modeling.connect(gateway, timer);
    modeling.updateProperties(short, {{ conditionExpression: moddle.create('bpmn:FormalExpression', {{ body: 'hours < 6' }}) }});
    const fine = modeling.connect(gateway, other);
    modeling.updateModdleProperties(gateway, gateway.businessObject, {{ default: fine.businessObject }});
    modeling.connect(timer, end);
}}"""
GIVE_THE_TIMER_A_WEEK = f"""() => {{
    const m = {MODELER};
    const timer = m.get('elementRegistry').get('wait_week');
    const definition = timer.businessObject.eventDefinitions[0];
    m.get('modeling').updateModdleProperties(timer, definition, {{
        timeDuration: m.get('moddle').create('bpmn:FormalExpression', {{ body: 'P7D' }}) }});
}}"""


@pytest.fixture()
def demo_clinic(ctx):
    clock.reset()
    demo.seed()
    db.session.commit()


def findings(page) -> list[str]:
    return page.locator("#modeler-findings button").all_text_contents()


def test_from_blank_to_a_tested_draft(open_page, demo_clinic):
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, DESIGNER)
    page.goto("/design")
    page.fill("#blank-name", "Sömnstart")
    page.click("form[action='/design/nytt/tomt'] button[type=submit]")
    page.wait_for_url("**/design/program/*")
    program_url = page.url

    # A second browser opens the modeler on the same version before anything is saved.
    other = open_page("/logga-in/medarbetare")
    sign_in_staff(other, DESIGNER)
    other.goto(program_url + "/modell")
    other.wait_for_selector("#modeler-save[data-ready=true]")

    # The question, in the form editor.
    page.click("a[href$='/formular']")
    page.click("a[href$='/formular/first_answer']")
    page.wait_for_selector("#form-editor-save[data-ready=true]")
    page.evaluate(f"""() => {{
        const editor = {EDITOR};
        const schema = editor._getState().schema;
        editor.get('modeling').addFormField({{ type: 'number', key: 'hours', label: 'Hur många timmar sov du i natt?',
            validate: {{ required: true, min: 0, max: 24 }} }}, schema, schema.components.length);
    }}""")
    page.wait_for_selector("#form-editor .fjs-form-field-label >> text=Hur många timmar sov du i natt?")
    page.fill("#form-editor-message", "Fråga om sömn")
    page.click("#form-editor-save button[type=submit]")
    page.wait_for_url(re.compile(r"/formular$"))

    # The flow, in the modeler: the finding stays on the timer until it has its time.
    page.goto(program_url + "/modell")
    page.wait_for_selector("#modeler-save[data-ready=true]")
    page.evaluate(DRAW)
    page.wait_for_function("() => [...document.querySelectorAll('#modeler-findings button')]"
                           ".some(b => b.textContent.includes('wait_week'))")
    assert any("wait_week" in f for f in findings(page))
    assert page.locator(".djs-element.vf-finding[data-element-id=wait_week]").count() == 1  # marked on the diagram
    page.evaluate(GIVE_THE_TIMER_A_WEEK)
    page.wait_for_function("() => !document.querySelector('#modeler-findings button')")
    assert_accessible(page)
    page.fill("#modeler-message", "Grind, en vecka och två slut")
    page.click("#modeler-save button[type=submit]")
    page.wait_for_url(re.compile(r"/design/program/[0-9a-f]+$"))

    # The second browser saves over the version it opened: 409, with its drawing kept.
    other.evaluate(f"""() => {{
        const m = {MODELER};
        m.get('modeling').updateLabel(m.get('elementRegistry').get('first_answer'), 'Min egen fråga');
    }}""")
    other.click("#modeler-save button[type=submit]")
    other.wait_for_selector("#modeler-save[data-ready=true]")
    assert "Dora Designer" in other.locator("main").text_content()
    assert other.evaluate(f"() => {MODELER}.get('elementRegistry').get('first_answer').businessObject.name") \
        == "Min egen fråga"
    assert other.evaluate(f"() => !!{MODELER}.get('elementRegistry').get('gw_hours')") is False

    # Test run: as the test resident, answer five hours; the run waits on its week.
    page.select_option("#test-resident", label="Testa Testsson")
    page.click("form[action$='/testa'] button[type=submit]")
    page.wait_for_url("**/design/testkorning/*")
    page.click("button[name=som][value=resident]")
    page.wait_for_url("**/mina-uppgifter")
    page.click("main a[href^='/mina-uppgifter/']")
    page.fill("textarea", "Trött")
    page.fill("input[name=hours]", "5")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/kvitto$"))
    page.click(".test-run-banner button[value=designer]")
    page.wait_for_url("**/design/testkorning/*")
    assert "gw_hours" in page.locator(".test-run-trace").text_content()
    assert "Inget väntar på tid" not in page.locator("main").text_content()  # the week's timer waits
    assert_accessible(page)

    # Past the timer: it fires, the run ends, the trace and the coverage say so.
    page.click("button[name=steg][value=next]")
    page.wait_for_url("**/design/testkorning/*")
    trace = page.locator(".test-run-trace").text_content()
    assert "timer fired" in trace and re.search(r"end\s+.*completed", trace)
    assert "StatusAvslutat" in page.locator(".test-run-facts").text_content().replace(" ", "").replace("\n", "")
    page.click("a[href*='/tackning/']")
    page.wait_for_selector(".djs-element.vf-never[data-element-id=end_fine]")
    assert page.locator(".djs-element.vf-taken[data-element-id=wait_week]").count() == 1
    assert re.search(r"Täckning \d+ ?%", page.locator("main").text_content())
    assert_accessible(page)
