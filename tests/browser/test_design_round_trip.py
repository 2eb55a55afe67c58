"""Every shipped program through the design tool in the browser: imported as a zip on the design
page, opened in the modeler, saved unchanged with the page's own save button; the saved revision's
package still validates (design/package_check.py) and passes its scenarios as "Kör alla scenarier"
runs them (web/design/scenario_runs.py). The replace menu (context pad, wrench) speaks Swedish."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from design import store
from design.models import DesignProgram, DesignRevision
from design.package_check import problems_of
from engine.db import db
from tests.browser.signin import sign_in_staff
from tests.browser.test_design_modeler import DESIGNER, demo_clinic  # noqa: F401
from tests.design.support import SHIPPED, designer, folder_files, zipped
from web.design import scenario_runs
from web.design.common import main_bpmn

DIAGRAM_NAMESPACES = {"http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC",
                      "http://www.omg.org/spec/DD/20100524/DI"}
ENGLISH_LABELS = set(re.findall(r'label:"([A-Z][^"]*)"', (Path(__file__).resolve().parents[2] / "web" / "static" /
                                                          "vendor" / "modeler" / "modeler.js").read_text()))


def import_and_open(page, folder, tmp_path):
    """Import ``folder`` zipped on the design page and open its modeler; the program's id."""
    package = tmp_path / f"{folder.name}.zip"
    package.write_bytes(zipped({f"{folder.name}/{k}": v for k, v in folder_files(folder).items()}))
    page.goto("/design")
    page.set_input_files("#zip-package", str(package))
    page.click("form[action='/design/nytt/zip'] button[type=submit]")
    page.wait_for_url(re.compile(r"/design/program/[0-9a-f]+$"))
    program_id = page.url.rsplit("/", 1)[1]
    page.click("a[href$='/modell']")
    page.wait_for_selector("#modeler-save[data-ready=true]")
    return program_id


def meaning(xml: bytes) -> Counter:
    """Every element outside the drawing (DI), with its parent's id, attributes and text: what the
    engine reads. bpmn-js may reorder, indent and redraw; it must not drop or change any of this."""
    found = Counter()
    for el in etree.fromstring(xml).iter():
        if not isinstance(el.tag, str) or el.tag[1:].split("}")[0] in DIAGRAM_NAMESPACES:
            continue
        parent = el.getparent()
        found[(el.tag, parent.get("id") if parent is not None else None, tuple(sorted(el.attrib.items())),
               (el.text or "").strip())] += 1
    return found


def head_files(program_id):
    db.session.expire_all()
    program = db.session.get(DesignProgram, program_id)
    return program, store.files(designer(program.publisher_unit_id, staff_id=DESIGNER), program.id)


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda p: p.name)
def test_a_shipped_program_saved_unchanged_in_the_modeler_still_validates_and_passes_its_scenarios(
        open_page, demo_clinic, folder, tmp_path):
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, DESIGNER)
    program_id = import_and_open(page, folder, tmp_path)
    _program, imported = head_files(program_id)
    assert page.locator("#modeler-findings button").count() == 0

    page.fill("#modeler-message", "Sparad oförändrad")
    page.click("#modeler-save button[type=submit]")
    page.wait_for_url(re.compile(r"/design/program/[0-9a-f]+$"))

    program, saved = head_files(program_id)
    head = db.session.get(DesignRevision, program.head_revision_id)
    main = main_bpmn(saved)
    assert saved[main] != imported[main] and head.message == "Sparad oförändrad"  # bpmn-js wrote it anew
    assert {n: d for n, d in saved.items() if n != main} == {n: d for n, d in imported.items() if n != main}
    lost, invented = meaning(imported[main]) - meaning(saved[main]), meaning(saved[main]) - meaning(imported[main])
    assert (lost, invented) == (Counter(), Counter())  # no extension element, attribute or text lost
    assert problems_of({n: d for n, d in saved.items() if not n.startswith("scenarios/")}) == []
    report = scenario_runs.run_all(saved)
    assert report.findings == [] and report.results and report.scenarios == len(report.results)
    failed = {r.name: r.outcome and r.outcome.end_state for r in report.results if r.outcome is None or not r.outcome.passed}
    assert failed == {}


def replace_menu_entries(page, element_type):
    """The replace menu's header and entries (context pad, wrench) for the first ``element_type``."""
    page.evaluate("""(type) => {  // as a click on the element does, wherever it lies on the canvas
        const m = document.getElementById('modeler-canvas').vardflodeModeler;
        const element = m.get('elementRegistry').filter(e => e.type === type)[0];
        m.get('selection').select(element);
        m.get('contextPad').open(element);
    }""", element_type)
    page.click(".djs-context-pad .entry[data-action=replace]")
    page.locator(".djs-popup").wait_for()
    entries = page.locator(".djs-popup .entry").evaluate_all(
        "entries => entries.map(e => e.getAttribute('title') || e.textContent.trim())")
    header = page.locator(".djs-popup-header").text_content()
    page.keyboard.press("Escape")
    return header, entries


@pytest.fixture()
def sleep_program_open(open_page, demo_clinic, tmp_path):
    page = open_page("/logga-in/medarbetare")
    sign_in_staff(page, DESIGNER)
    import_and_open(page, next(p for p in SHIPPED if p.name == "selfhelp_sleep"), tmp_path)
    return page


def test_the_replace_menu_speaks_swedish(sleep_program_open):
    header, entries = replace_menu_entries(sleep_program_open, "bpmn:UserTask")
    assert "Byt elementtyp" in header
    for swedish in ("Skriptuppgift", "Manuell uppgift", "Anropsaktivitet", "Delprocess (expanderad)",
                    "Parallella instanser", "Upprepning"):
        assert swedish in entries, entries
    assert "Script task" not in entries and "Manual task" not in entries
    _header, entries = replace_menu_entries(sleep_program_open, "bpmn:ExclusiveGateway")
    assert {"Parallell gateway", "Inkluderande gateway", "Händelsebaserad gateway"} <= set(entries)


def test_every_replace_menu_entry_is_swedish(sleep_program_open):
    english = {}
    for element_type in ("bpmn:UserTask", "bpmn:ExclusiveGateway", "bpmn:EndEvent", "bpmn:IntermediateCatchEvent",
                         "bpmn:Participant"):
        _header, entries = replace_menu_entries(sleep_program_open, element_type)
        english[element_type] = [e for e in entries if e in ENGLISH_LABELS or e.endswith("(removes content)")]
    assert english == {t: [] for t in english}
