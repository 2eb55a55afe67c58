"""One test per program path: every scenario of every shipped program is played for Anna on Nord,
and wherever the instance stands somewhere new – a step of the resident's open, a timer running,
a step of the clinic's open, the program over – both program pages (and the receipt of a step the
resident just sent) are read and held against the engine's own view (``engine.instance_progress``,
``engine.ready_tasks``): which module is done, open or waiting and until when, "N av M", the
resident's "what happens next" and the clinician's open steps and waits. A page that guesses
instead of asking the engine fails here.

Expectations are worked out in this file from the engine's state, not by calling the page code
(care/program_view.py, care/program_pages.py), so the two can only agree by both being right."""
from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from babel import dates

import engine
from access import sessions
from cli import demo_people, packages
from design import driver
from engine.db import db
from tests.conftest import ROOT
from tests.web.signin import sign_in_resident, sign_in_staff

SCENARIOS = sorted((ROOT / "workflows" / "programs").glob("*/scenarios/*.json"))
SWEDEN = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)  # a Monday morning
RESIDENT = "invanare"
FINISHED = ("completed", "cancelled", "ended")
# What each side reads for a module's state (web/translations/sv); "waiting" carries its date.
RESIDENT_MODULE_WORDS = {"done": "Klar", "current": "Öppen nu", "locked": "Öppnas när modulen före är klar",
                         "closed": "Inte gjord", "waiting": "Öppnas {date}"}
CLINICIAN_MODULE_WORDS = {"done": "klar", "current": "öppen nu", "locked": "inte öppen ännu",
                          "closed": "inte gjord", "waiting": "öppnas {date}"}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_both_sides_read_what_the_engine_says_along_the_path(ctx, scenario, monkeypatch):
    org, instance_id = started_for_anna(scenario.parent.parent)
    # The path jumps weeks between looks; signing in again at each look would take most of the
    # run, so the two sessions live as long as the path (their lifetimes are tested elsewhere).
    monkeypatch.setattr(sessions, "IDLE", {kind: timedelta(days=365) for kind in sessions.IDLE})
    monkeypatch.setattr(sessions, "ABSOLUTE", timedelta(days=365))
    watcher = Watcher(org.residents["anna"].id, instance_id,
                      sign_in_resident(ctx.test_client(), org.residents["anna"].id),
                      sign_in_staff(ctx.test_client(), org.staff["behandlare"].hsa_id))
    # A scenario's "_wait" lets time pass while a step is open, and the driver goes on without
    # telling on_step; what the passing time opened (a follow-up for the clinic) is looked at too.
    move_clock_to = driver.move_clock_to
    monkeypatch.setattr(driver, "move_clock_to", lambda target: (move_clock_to(target), watcher.look()))

    watcher.look()
    driver.run(instance_id, driver.Scenario(json.loads(scenario.read_text(encoding="utf-8"))), on_step=watcher.look)
    watcher.look()

    assert engine.instance(instance_id).status in FINISHED
    looked_at = {kind for where in watcher.seen for kind in where}
    assert {"resident step", "finished"} | kinds_the_path_went_through(instance_id) <= looked_at


@dataclass
class Watcher:
    """Reads both program pages whenever the instance stands somewhere new, and the receipt of a
    step the resident just sent; ``seen`` lists the stands looked at."""

    resident_id: str
    instance_id: str
    resident: object  # test clients, signed in as Anna and as Bodil, her clinician on Nord
    clinician: object
    seen: list = field(default_factory=list)
    receipts_seen: list = field(default_factory=list)

    def look(self) -> None:
        where = situation(self.instance_id)
        if where not in self.seen:
            self.seen.append(where)
            check_both_pages(self, self.resident_id, self.instance_id)
        sent = just_sent_by_resident(self.instance_id)
        if sent and where not in self.receipts_seen:
            self.receipts_seen.append(where)
            check_receipt(self, self.resident_id, self.instance_id, sent)


# -- playing the path -------------------------------------------------------------------------


def started_for_anna(package):
    engine.clock.freeze(START)
    org = demo_people.seed()
    version = engine.store_version(packages.load(package))
    db.session.commit()
    treatment = (version.meta or {}).get("kind") == "treatment"
    outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id=org.units["nord"].id,
                           subject_id=org.residents["anna"].id,
                           owner_id=org.staff["behandlare"].id if treatment else None)
    db.session.commit()
    return org, outcome.instance_id


def program_steps(instance_id):
    """The program's own open steps (a platform step such as a hand-over is not where anyone is)."""
    return [t for t in engine.ready_tasks(instance_id) if not engine.is_platform_task(t.element_id)]


def kinds_the_path_went_through(instance_id) -> set[str]:
    """A timer, a step of the clinic's: what the engine's history says the path had."""
    history = engine.history(instance_id)
    kinds = {"timer"} if any(e.kind == "timer_fired" for e in history) else set()
    clinic = any(s.role != RESIDENT for s in engine.instance_progress(instance_id).completed)
    return kinds | ({"clinic step"} if clinic else set())


def situation(instance_id) -> tuple:
    """Where the instance stands, in the kinds the pages tell apart, and whether it is past the
    first module (which opens at once; the later ones wait a week): the pages are read whenever
    this is new. Reading them at every step would take minutes."""
    progress = engine.instance_progress(instance_id)
    if progress.status != "running":
        return ("finished", progress.status)
    steps = program_steps(instance_id)
    kinds = {"resident step" if t.role == RESIDENT else "clinic step" for t in steps}
    if progress.waiting:
        kinds.add("timer")
    return (*sorted(kinds), "later module" if (progress.latest_data.get("module_nr") or 0) > 1 else "first module")


# -- what the engine says each side should read ------------------------------------------------


def expected_modules(progress, steps) -> list[tuple[str, str, datetime | None]]:
    """(title, state, opens at) per module of a program with ``module_titles``/``module_nr``:
    before the current one done; the current one done when its round reached its own end (or the
    program completed after it), open while a step is open, else waiting on the engine's timer;
    after it locked, or never done once the program is over."""
    titles, current = progress.latest_data.get("module_titles"), progress.latest_data.get("module_nr")
    if not isinstance(titles, list) or not isinstance(current, int):
        return []
    result = []
    for number, title in enumerate(titles, start=1):
        if number < current or (number == current and current_module_done(progress)):
            result.append((title, "done", None))
        elif progress.status in FINISHED:
            result.append((title, "closed", None))
        elif number > current:
            result.append((title, "locked", None))
        elif steps or not progress.waiting:
            result.append((title, "current", None))
        else:
            result.append((title, "waiting", progress.waiting[0].due_at))
    return result


def current_module_done(progress) -> bool:
    """The newest module round ran to the module's own end, not to a stop on the way."""
    rounds = [d for d in progress.diagrams[1:] if d.process_id == "module"]
    return bool(rounds) and "module_end" in rounds[-1].done


def resident_next_step(instance_id, resident_id) -> list[str]:
    """The sentences under "Ditt nästa steg", in order."""
    progress = engine.instance_progress(instance_id)
    steps = program_steps(instance_id)
    mine = [t.name for t in steps if t.role == RESIDENT and t.assignee_id == resident_id]
    if mine:
        return mine
    if progress.status in FINISHED:
        return ["Programmet är avslutat."]
    if any(t.role != RESIDENT for t in steps):
        said = ["Din behandlare går igenom det du har skickat. Du hör av oss när nästa steg öppnas."]
    else:
        said = ["Det finns inget för dig att göra i programmet just nu."]
    return said + ([opens_in_words(progress.waiting[0].due_at)] if progress.waiting else [])


def just_sent_by_resident(instance_id) -> str | None:
    """The task id of the step the resident sent last, when nothing has been done since."""
    completed = engine.instance_progress(instance_id).completed
    return completed[-1].task_id if completed and completed[-1].role == RESIDENT else None


def receipt_next(instance_id, resident_id) -> str:
    """The receipt's "Vad händer nu", from where the instance stands after the step was sent."""
    progress = engine.instance_progress(instance_id)
    steps = program_steps(instance_id)
    mine = [t.name for t in steps if t.role == RESIDENT and t.assignee_id == resident_id]
    if mine:
        return f"Fortsätt med nästa steg: {mine[0]}"
    if progress.status in FINISHED:
        return "Programmet är avslutat."
    if progress.waiting:
        return f"{opens_in_words(progress.waiting[0].due_at)} Vi hör av oss."
    if any(t.role != RESIDENT for t in steps):
        return "Du har inget mer att göra just nu. Vi hör av oss när det finns något."
    return "Du har inget mer att göra i programmet just nu."


def opens_in_words(due: datetime) -> str:
    days = (due.astimezone(SWEDEN).date() - engine.clock.now().astimezone(SWEDEN).date()).days
    if days <= 0:
        return "Nästa steg öppnas i dag."
    if days == 1:
        return f"Nästa steg öppnas i morgon, {medium_date(due)}."
    return f"Nästa steg öppnas om {days} dagar, den {medium_date(due)}."


def clinician_where(instance_id) -> tuple[list[str], list[str]]:
    """The open steps' names and the waits, as "Var invånaren är" lists them."""
    progress = engine.instance_progress(instance_id)
    waits = [f"Väntar på ”{w.name}” till {short_datetime(w.due_at)}." for w in progress.waiting]
    if not engine.ready_tasks(instance_id) and not waits:
        waits = ["Inget är öppet i programmet."]
    return [t.name for t in program_steps(instance_id)], waits


def medium_date(moment: datetime) -> str:
    return dates.format_date(moment.astimezone(SWEDEN).date(), "medium", locale="sv")


def short_datetime(moment: datetime) -> str:
    return dates.format_datetime(moment, "short", tzinfo=SWEDEN, locale="sv")


# -- what each side reads -------------------------------------------------------------------------


def check_both_pages(clients, resident_id, instance_id) -> None:
    progress = engine.instance_progress(instance_id)
    modules = expected_modules(progress, program_steps(instance_id))
    where = situation(instance_id)

    response = clients.resident.get(f"/mina-program/{instance_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert resident_next_step_read(page) == resident_next_step(instance_id, resident_id), where
    assert resident_modules_read(page) == module_words(modules, RESIDENT_MODULE_WORDS), where
    if modules:
        done = sum(state == "done" for _, state, _ in modules)
        assert f"{done} av {len(modules)} moduler klara." in text_of(page), where

    response = clients.clinician.get(f"/invanare/{resident_id}/program/{instance_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert clinician_where_read(page) == clinician_where(instance_id), where
    assert clinician_modules_read(page) == module_words(modules, CLINICIAN_MODULE_WORDS), where


def check_receipt(clients, resident_id, instance_id, task_id) -> None:
    response = clients.resident.get(f"/mina-program/{instance_id}/steg/{task_id}/kvitto")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    section = re.search(r"<h2>Vad händer nu</h2>(.*?)<ul", page, re.S).group(1)
    assert text_of(section) == receipt_next(instance_id, resident_id), situation(instance_id)


def module_words(modules, words) -> list[tuple[str, str]]:
    return [(title, words[state].format(date=medium_date(opens) if opens else "")) for title, state, opens in modules]


def text_of(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags gone, entities read, spaces as one."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def resident_next_step_read(page: str) -> list[str]:
    """The step links, or the paragraphs, between "Ditt nästa steg" and the next section."""
    section = re.search(r"<h2>Ditt nästa steg</h2>(.*?)(?:<h2|<section)", page, re.S).group(1)
    links = re.findall(r"<li><a [^>]*>(.*?)</a>", section, re.S)
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", section, re.S)
    return [text_of(x) for x in (links or paragraphs)]


def resident_modules_read(page: str) -> list[tuple[str, str]]:
    return [(text_of(title), text_of(state)) for title, state in re.findall(
        r'<li class="module-\w+"><span class="module-title"[^>]*>(.*?)</span> <span class="module-state">(.*?)</span>',
        page, re.S)]


def clinician_section(page: str) -> str:
    return re.search(r'<h2 id="where">.*?</h2>(.*?)(?:<div class="bpmn|<h2 id="scores")', page, re.S).group(1)


def clinician_where_read(page: str) -> tuple[list[str], list[str]]:
    section = clinician_section(page)
    steps = re.search(r'<ul class="open-steps">(.*?)</ul>', section, re.S)
    names = re.findall(r"<li>\s*<(?:a|span)[^>]*>(.*?)</(?:a|span)>", steps.group(1), re.S) if steps else []
    waits = re.findall(r"<p>(.*?)</p>", section, re.S)
    return [text_of(n) for n in names], [text_of(w) for w in waits]


def clinician_modules_read(page: str) -> list[tuple[str, str]]:
    return [(text_of(title), text_of(state)) for title, state in re.findall(
        r'<li class="module-\w+"><span[^>]*>(.*?)</span> – (.*?)</li>', clinician_section(page), re.S)]
