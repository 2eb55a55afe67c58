"""Reflow (WCAG 2.1 AA 1.4.10): at 320 CSS px every page a resident or a clinician uses fits the
width – no sideways scrolling – in Swedish and in English, and axe still finds nothing serious.

A plain desktop browser context narrowed to 320×800 (not a phone emulation: that is what a person
zooming to 400 % on a 1280 px screen gets). One sign-in per role and language; every page is read
in that one browser tab. On a failure the message names the page and its widest elements."""
from __future__ import annotations

from datetime import timedelta

import pytest

from engine import clock
from engine.db import db
from access.models import Resident
from tests.browser.axe import assert_accessible
from tests.browser.signin import sign_in_staff
from cli import demo, demo_people

NARROW = {"viewport": {"width": 320, "height": 800}}
LANGUAGES = [("sv-SE", "sv"), ("en-GB", "en")]
CLINICIAN = "behandlare"
# Elements reaching past the right edge, widest first: what to fix when a page scrolls sideways.
WIDEST = """() => {
  const width = window.innerWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const found = [...document.querySelectorAll('body *')]
    .map(e => [name(e), e.getBoundingClientRect()]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    found.push([`text "${node.textContent.trim().slice(0, 40)}" in ${name(node.parentElement)}`,
                range.getBoundingClientRect()]);
  }
  return found.filter(([n, r]) => r.right > width + 0.5 && r.width > 0)
    .sort((a, b) => b[1].right - a[1].right)
    .slice(0, 6)
    .map(([n, r]) => `${n} (right edge ${Math.round(r.right)} px, ${Math.round(r.width)} px wide)`);
}"""


@pytest.fixture()
def demo_clinic(ctx):
    """The demo clinic: David has done every module and his follow-up questionnaire is open."""
    clock.reset()
    demo.seed()
    db.session.commit()
    return db.session.scalar(db.select(Resident).where(Resident.given_name == "David"))


def narrow_page(chromium, live_server, locale: str):
    context = chromium.new_context(base_url=live_server, locale=locale, **NARROW)
    context.set_default_timeout(10_000)
    return context.new_page()


def first_link(page, selector: str) -> str:
    links = page.locator(selector)
    assert links.count(), f"no link {selector} on {page.url}"
    return links.first.get_attribute("href")


def check(page, path: str, lang: str, problems: list[str]) -> None:
    """Open ``path`` and note whether it scrolls sideways and whether axe finds anything serious."""
    page.goto(path)
    check_current(page, lang, problems, path)


@pytest.mark.parametrize("locale, lang", LANGUAGES)
def test_resident_pages_reflow_at_320_px(chromium, live_server, demo_clinic, locale, lang):
    resident = demo_clinic
    page = narrow_page(chromium, live_server, locale)
    page.goto("/logga-in/invanare")
    page.check(f"#id-{resident.id}")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/logga-in/" not in page.url, page.url

    problems: list[str] = []
    check(page, "/mina-uppgifter", lang, problems)
    task = first_link(page, "main a[href^='/mina-uppgifter/']")
    check(page, task, lang, problems)
    check(page, "/mina-program", lang, problems)
    program = first_link(page, "main a[href^='/mina-program/']")
    check(page, program, lang, problems)
    done_step = first_link(page, "main ul.done-steps a")
    check(page, done_step, lang, problems)
    for path in ["/mina-meddelanden", "/mina-kontaktuppgifter", "/oppna-program", "/mina-loggar", "/mina-sparrar"]:
        check(page, path, lang, problems)
    page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale, lang", LANGUAGES)
def test_clinician_pages_reflow_at_320_px(chromium, live_server, demo_clinic, locale, lang):
    resident = demo_clinic
    page = narrow_page(chromium, live_server, locale)
    page.goto("/logga-in/medarbetare")
    sign_in_staff(page, next(row[1] for row in demo_people.STAFF if row[0] == CLINICIAN))

    problems: list[str] = []
    check(page, "/uppgifter", lang, problems)
    task = first_link(page, "main a[href^='/uppgifter/']")
    check(page, task, lang, problems)
    check(page, "/invanare", lang, problems)
    check(page, f"/invanare/{resident.id}", lang, problems)
    program = first_link(page, f"main a[href^='/invanare/{resident.id}/program/']")
    check(page, program, lang, problems)
    graphs_and_diagrams_stay_readable(page, program, problems)
    check(page, f"/invanare/{resident.id}/meddelanden", lang, problems)
    page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale, lang", LANGUAGES)
def test_the_access_administrators_staff_page_reflows_at_320_px(chromium, live_server, demo_clinic, locale, lang):
    page = narrow_page(chromium, live_server, locale)
    page.goto("/logga-in/medarbetare")
    sign_in_staff(page, next(row[1] for row in demo_people.STAFF if row[0] == "behorighetsadmin"))

    problems: list[str] = []
    check(page, "/admin/medarbetaruppdrag", lang, problems)
    # The refused form too: the error summary and the field errors must fit and be announced.
    page.fill("#create_staff-hsa_id", "fel-hsa")
    page.click("#create_staff-given_name ~ button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#error-summary").count() == 1, page.url
    check_current(page, lang, problems)
    page.context.close()
    assert not problems, "\n".join(problems)


def graphs_and_diagrams_stay_readable(page, path: str, problems: list[str]) -> None:
    """On the program page (open at 320 px): every score graph draws its 12 px texts at no less
    than 12 px (it scrolls in its own region instead of shrinking), its table reads as cards, and
    the program diagrams are not zoomed out below a readable size (they are panned instead)."""
    for graph in page.locator("main figure.score-graph").all():
        scale = graph.locator("svg").evaluate("s => s.getBoundingClientRect().width / s.viewBox.baseVal.width")
        if scale < 0.99:
            problems.append(f"{path}: the score graph is drawn at {scale:.2f} of its size; its texts shrink")
    if page.locator("main .bpmn-progress").count():
        page.wait_for_selector("main .bpmn-progress.bpmn-progress--ready")
        scales = page.locator("main .bpmn-progress .viewport").evaluate_all(
            "vs => vs.map(v => v.transform.baseVal.consolidate().matrix.a)")
        if min(scales) < 0.59:  # progress.js MIN_ZOOM: 12 px labels at 7 px or more
            problems.append(f"{path}: a program diagram is zoomed out to {min(scales):.2f}; its labels shrink")
    tables = page.locator("main table.score-table")
    if not tables.count():
        problems.append(f"{path}: no score table beside the graph")
    for table in tables.all():
        if table.locator("tbody tr").first.evaluate("r => getComputedStyle(r).display") != "block":
            problems.append(f"{path}: the score table does not reflow as cards")


def staff_page(chromium, live_server, locale: str, key: str):
    page = narrow_page(chromium, live_server, locale)
    page.goto("/logga-in/medarbetare")
    sign_in_staff(page, next(row[1] for row in demo_people.STAFF if row[0] == key))
    return page


ADMIN_PAGES = {
    "vardgivaradmin": ["/katalog", "/admin/vardenheter"],
    "behorighetsadmin": ["/admin/behorigheter"],
    "nationell": ["/admin/vardgivare", "/admin/utgivande-enheter"],
}


@pytest.mark.parametrize("locale, lang", LANGUAGES)
def test_admin_and_log_pages_reflow_at_320_px(chromium, live_server, demo_clinic, locale, lang):
    """The administrators' tables and the log reviewer's tables read as cards at 320 px."""
    problems: list[str] = []
    for key, paths in ADMIN_PAGES.items():
        page = staff_page(chromium, live_server, locale, key)
        for path in paths:
            check(page, path, lang, problems)
            cards_if_any(page, path, problems)
        page.context.close()
    page = staff_page(chromium, live_server, locale, "loggranskare")
    check(page, "/loggar", lang, problems)
    cards_if_any(page, "/loggar", problems)
    today = clock.local_today()
    page.fill("#sample-from", (today - timedelta(days=30)).isoformat())
    page.fill("#sample-to", today.isoformat())
    page.locator("main form[action='/loggar/stickprov'] button[type=submit]").click()  # draw a sample
    page.wait_for_url("**/loggar/stickprov/*")
    check(page, path_of(page.url), lang, problems)
    cards_if_any(page, page.url, problems)
    page.context.close()
    assert not problems, "\n".join(problems)


def check_current(page, lang: str, problems: list[str], path: str | None = None) -> None:
    """``check`` for the page already open (also a form's answer, which has no address of its own)."""
    path = path or page.url
    assert page.evaluate("document.documentElement.lang") == lang, page.url
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        widest = "\n    ".join(page.evaluate(WIDEST))
        problems.append(f"{path} ({lang}) is {overflow} px wider than 320 px; widest elements:\n    {widest}")
    try:
        assert_accessible(page)
    except pytest.fail.Exception as failure:
        problems.append(f"{path} ({lang}): {failure}")


def cards_if_any(page, path: str, problems: list[str]) -> None:
    """Every table on the page with rows is a `cards` table (a card per row at 320 px)."""
    for table in page.locator("main table").all():
        if table.locator("tbody tr").count() and "cards" not in (table.get_attribute("class") or ""):
            problems.append(f"{path}: a table that does not reflow as cards: {table.locator('caption').inner_text()}")


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]
