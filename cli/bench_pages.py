"""Benchmark part (5): pages as people wait for them, over HTTP through the real app.

The app the benchmark was given runs on a werkzeug server on 127.0.0.1 (a free port, a
background thread); every person is a ``requests.Session`` that signs in through the real forms
(password + TOTP for the clinician, the development e-ID for residents) and sends the CSRF token
of the page, so each figure includes the session check, CSRF, the PDL write and the commit.

The clinician's unit holds a real caseload (residents started in the shipped depression program
through the engine, some driven to a step of the clinician's); the larger sizes add copies of an
instance's rows on other units, because a clinician's caseload does not grow with the platform.
"""
from __future__ import annotations

import json
import re
import statistics
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import requests
from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

import engine
from access import directory, totp
from access.records import PdlEntry
from engine import benchmark
from engine.db import db
from cli import bench_tasklist, demo, demo_people, packages
from design import driver

PROGRAM = packages.WORKFLOWS / "programs" / "depression_icbt"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# A row of the task list links to its task page; stable whatever the list's paging or order.
TASK_ROW = re.compile(r'href="/uppgifter/[0-9a-f-]{8,}"')
OTHER_UNITS = 1000
COPY_UNIT_PREFIX = "other-unit-"
CASELOAD_LIMIT = 1000  # more than any caseload the benchmark makes
# Stages the caseload is driven to before timing: (scenario, completed steps). The first two
# leave a step of the clinician's (a risk assessment, feedback on homework); the rest wait at the
# intake questionnaire, which the residents then send over HTTP.
STAGES = (("severe_scores", 1), ("low_scores", 3), (None, 0), (None, 0), (None, 0))


@dataclass(frozen=True)
class Sizes:
    caseload: int  # residents on the clinician's unit
    stored: tuple  # total instances at which the task list is timed
    completions: int  # timed HTTP task completions (each by its own resident)
    views: int  # timed GETs per page and size
    warmup: int  # untimed requests before each timed series


FULL = Sizes(150, (1_000, 10_000, 100_000), 80, 100, 5)
QUICK = Sizes(150, (1_000, 5_000, 20_000), 30, 50, 5)


@dataclass
class Caseload:
    version: object
    clinician_hsa: str
    clinician_id: str
    unit_id: str
    waiting: list  # (resident id, instance id, intake task id) for the HTTP completions
    intake: dict  # the answers the residents send


def run(app, quick: bool, sizes: Sizes | None = None) -> dict:
    """The page figures; ``app`` must have an app context pushed and an empty, current schema."""
    sizes = sizes or (QUICK if quick else FULL)
    engine.clock.reset()
    caseload = _seed(sizes)
    with _serving(app) as base:
        clinician = _sign_in_staff(base, caseload.clinician_hsa)
        completion = _completions(base, caseload, sizes)
        program_ms = _program_pages(base, completion.pop("sessions"), sizes)
        lists = _task_lists(base, clinician, caseload, sizes)
        clinician.close()
    largest, views = lists["task_list"][-1]["ms"], (len(sizes.stored) + 1) * (sizes.views + sizes.warmup)
    return {**completion, **lists, "program_page_ms": program_ms,
            "list_per_completion": largest / completion["completion_ms"],
            "pdl_rows_per_task_list": _pdl_rows_per_view(caseload.clinician_id, views),
            "caseload": sizes.caseload, "clinician_tasks": _clinician_tasks(caseload), "views": sizes.views,
            "other_units": OTHER_UNITS}


# --- the caseload -----------------------------------------------------------------------------

def _seed(sizes: Sizes) -> Caseload:
    """The demo organisation, the program published and live on Nord, and the caseload started."""
    org = demo_people.seed()
    version = engine.store_version(packages.load(PROGRAM))
    demo._publish_and_activate(PROGRAM, version, org)
    db.session.commit()
    scenarios = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (PROGRAM / "scenarios").glob("*.json")}
    clinician, unit = org.staff["behandlare"], org.units["nord"]
    waiting = []
    for n in range(sizes.caseload):
        resident = _resident(n)
        instance_id = engine.start(version.content_hash, engine.SYSTEM, unit_id=unit.id, subject_id=resident.id,
                                   owner_id=clinician.id).instance_id
        db.session.commit()
        scenario, steps = STAGES[n % len(STAGES)]
        if scenario:
            driver.run(instance_id, driver.Scenario(scenarios[scenario]), stop_after=steps)
        else:
            waiting.append((resident.id, instance_id, _open_task(instance_id)))
    engine.clock.reset()  # the driver freezes the clock when it waits; the pages run on real time
    db.session.commit()
    return Caseload(version, clinician.hsa_id, clinician.id, unit.id, waiting, scenarios["low_scores"]["intake"])


def _resident(n: int):
    birth = date(1950, 1, 1) + timedelta(days=97 * n)  # distinct personnummer, adults of every age
    return directory.create_resident(demo_people.personnummer_for(birth, f"{n % 1000:03d}"), f"Bench{n}",
                                     "Invånare", email=None)


def _open_task(instance_id: str) -> str:
    (task,) = engine.ready_tasks(instance_id)
    return task.id


def _clinician_tasks(caseload: Caseload) -> int:
    """The clinician's open steps on their unit (the list pages them; this is the whole)."""
    actor = engine.Actor(caseload.clinician_id, frozenset({("behandlare", caseload.unit_id)}))
    return len(engine.worklist(actor, "behandlare", [caseload.unit_id], limit=CASELOAD_LIMIT))


def _add_copies(version, start: int, stop: int) -> None:
    """Instances ``start``..``stop`` as copies of a real instance's rows, all on other units."""
    created = engine.clock.now() - timedelta(days=365)
    bench_tasklist.add_copies(
        version, benchmark.sample_state(), start, stop,
        lambda n: bench_tasklist.task_copy(n, created + timedelta(seconds=n), f"{COPY_UNIT_PREFIX}{n % OTHER_UNITS}"),
        element_id="feedback", name="Återkoppling", form="feedback.form")


# --- HTTP -------------------------------------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # thousands of access-log lines would drown the report
        pass


@contextmanager
def _serving(app):
    """The app on a free port of 127.0.0.1; threaded, so each session keeps its connection alive
    (HTTP/1.1) as a browser does. The main thread commits first: it holds no transaction while
    the server's threads work."""
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def _token(session, url: str) -> str:
    response = session.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    match = CSRF.search(response.text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def _post(session, url: str, data: dict, token: str | None = None):
    """POST as the browser would: with the token of the page the form is on, no redirect followed."""
    return session.post(url, data={**data, "csrf_token": token or _token(session, url)}, allow_redirects=False)


def _sign_in_staff(base: str, hsa_id: str):
    session = requests.Session()
    response = _post(session, f"{base}/logga-in/medarbetare",
                     {"identifier": hsa_id, "password": demo_people.DEMO_PASSWORD})
    assert response.status_code == 302, f"password step: {response.status_code}"
    code = totp.current_code(demo_people.totp_secret_for(hsa_id))
    response = _post(session, f"{base}/logga-in/medarbetare/kod", {"code": code})
    assert response.status_code == 302 and "/logga-in/" not in response.headers["Location"], "TOTP step"
    return session


def _sign_in_resident(base: str, resident_id: str):
    session = requests.Session()
    response = _post(session, f"{base}/logga-in/invanare", {"identity": resident_id})
    assert response.status_code == 302, f"resident sign-in: {response.status_code}"
    return session


def _timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


# --- the measures -----------------------------------------------------------------------------

def _completions(base: str, caseload: Caseload, sizes: Sizes) -> dict:
    """(a) Each waiting resident opens their intake questionnaire and sends it: GET + POST, the
    POST a real completion through the engine (302 to the receipt). The first ``warmup`` residents
    are not timed."""
    count = sizes.warmup + sizes.completions
    assert len(caseload.waiting) >= count, "the caseload has a waiting resident for every completion"
    answers = {key: str(value) for key, value in caseload.intake.items()}
    gets, posts, sessions = [], [], []
    for resident_id, instance_id, task_id in caseload.waiting[:count]:
        session = _sign_in_resident(base, resident_id)
        url = f"{base}/mina-uppgifter/{task_id}"
        get_ms, page = _timed(lambda: session.get(url))
        assert page.status_code == 200, f"task page: {page.status_code}"
        post_ms, sent = _timed(lambda: _post(session, url, answers, CSRF.search(page.text).group(1)))
        assert sent.status_code == 302 and "/kvitto" in sent.headers["Location"], f"completion: {sent.status_code}"
        gets.append(get_ms)
        posts.append(post_ms)
        sessions.append((session, instance_id))
    timed = slice(sizes.warmup, None)
    total = [g + p for g, p in zip(gets[timed], posts[timed])]
    return {"completion_ms": statistics.median(total), "completion_get_ms": statistics.median(gets[timed]),
            "completion_post_ms": statistics.median(posts[timed]), "completions": len(total), "sessions": sessions}


def _program_pages(base: str, sessions: list, sizes: Sizes) -> float:
    """(c) The residents who just sent their intake look at their program page, in turn."""
    timings = []
    for n in range(sizes.warmup + sizes.views):
        session, instance_id = sessions[n % len(sessions)]
        elapsed, page = _timed(lambda: session.get(f"{base}/mina-program/{instance_id}"))
        assert page.status_code == 200, f"program page: {page.status_code}"
        if n >= sizes.warmup:
            timings.append(elapsed)
    for session, _instance in sessions:
        session.close()
    return statistics.median(timings)


def _task_lists(base: str, clinician, caseload: Caseload, sizes: Sizes) -> dict:
    """(b) The clinician's /uppgifter at each size; copies on other units fill up to the size.
    The first size is timed again at the end, with the copies removed: other work on the machine
    drifts over minutes, and the mean of the two brackets it for the ratios."""
    stored, found = sizes.caseload, []
    for target in sizes.stored:
        _add_copies(caseload.version, stored, target)
        stored = target
        found.append({"stored": target, "ms": _task_list_median(base, clinician, sizes)})
    benchmark.remove_copies(COPY_UNIT_PREFIX)
    db.session.commit()
    _add_copies(caseload.version, sizes.caseload, sizes.stored[0])
    again = _task_list_median(base, clinician, sizes)
    baseline = (found[0]["ms"] + again) / 2
    return {"task_list": found, "task_list_first_again_ms": again, "task_list_baseline_ms": baseline,
            "task_list_ratio_mid": found[1]["ms"] / baseline, "task_list_ratio_large": found[-1]["ms"] / baseline}


def _task_list_median(base: str, clinician, sizes: Sizes) -> float:
    timings = []
    for n in range(sizes.warmup + sizes.views):
        elapsed, page = _timed(lambda: clinician.get(f"{base}/uppgifter"))
        assert page.status_code == 200 and TASK_ROW.search(page.text), f"task list: {page.status_code}"
        if n >= sizes.warmup:
            timings.append(elapsed)
    return statistics.median(timings)


def _pdl_rows_per_view(clinician_id: str, views: int) -> float:
    """The PDL rows the clinician's task-list views wrote ('list' rows), per view."""
    db.session.rollback()  # a fresh snapshot: the rows were committed by the server's threads
    rows = db.session.scalar(select(func.count()).select_from(PdlEntry).where(
        PdlEntry.actor_id == clinician_id, PdlEntry.action == "list"))
    return rows / views
