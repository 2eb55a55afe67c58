"""``vardflode demo``: the embedded default with demo data, on one port.

SQLite file in --data-dir, migrations applied, shipped programs published, residents started at
different stages (seeded in the recent past on the engine clock, so their timers are live), then
the web app with an in-process Dramatiq worker and timer scheduler.
"""
from __future__ import annotations

import json
import sys

from flask import current_app
from datetime import timedelta

import catalogue
import engine
from catalogue.models import CatalogueEntry
from engine.db import db
from cli import demo_cases, demo_community, demo_people, demo_publishing, packages
from design import driver

# Treatment programs: each resident follows a scenario of the program, started this many days
# ago, and stops after this many completed steps, so the clinic shows every stage.
STAGES = [
    # resident, scenario, completed steps, days since the start
    ("anna", "low_scores", 0, 1),  # the assessment questionnaire waits for her
    ("bo", "severe_scores", 1, 1),  # a severe intake: a risk assessment flagged for attention waits
    ("cecilia", "low_scores", 9, 16),  # module 3 of 8 is open
    ("david", "low_scores", 33, 85),  # all eight modules done; the follow-up questionnaire is open
    ("elsa", "low_scores", 3, 3),  # the homework is done: the clinician's feedback waits
    ("hugo", "low_scores", 4, 2),  # module 1 done and fed back: module 2 opens in five days
]
# Kinds the demo care unit Nord uses; platform processes are not activated on units.
ACTIVATED_KINDS = ("treatment", "education")


def main(host: str, port: int, data_dir: str, seed_only: bool) -> int:
    from web import create_app
    from web.database import upgrade
    # The in-process worker, whatever the environment says, and the clock national management
    # can move forward (/plattform/klocka) to see timers fire without waiting. Video meetings go
    # to a fake vendor on localhost (video/fake_vendor.py), so the demo works offline.
    vendor = None if seed_only else start_video_vendor(host, port)
    video = {"VIDEO_VENDOR_URL": vendor.url, "VIDEO_CALLBACK_SECRET": vendor.secret} if vendor else {}
    app = create_app(DATA_DIR=data_dir, BROKER_URL="stub", DEMO_CLOCK="1", **video)
    upgrade(app)
    with app.app_context():
        seeded = seed()
    print(f"Demo data: {seeded}")
    print(credentials())
    if seed_only:
        return 0
    from tasks import inprocess
    stop = inprocess.start(app)
    print(f"Vårdflöde demo running at http://{host}:{port}/  (Ctrl+C stops it)", flush=True)
    print(f"Fake video vendor at {vendor.url}/", flush=True)
    try:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        stop()
        vendor.stop()
    return 0


def start_video_vendor(host: str, port: int):
    """The demo's video vendor: a fake one on a free localhost port, with a fresh secret, calling
    the demo back at /video/status."""
    import secrets
    from video.fake_vendor import FakeVendor
    callback_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return FakeVendor(secrets.token_hex(24), callback_url=f"http://{callback_host}:{port}/video/status").start()


def seed() -> str:
    """Publish every shipped package and start demo residents; does nothing if already seeded."""
    if engine.counts().instances:
        return "already seeded"
    org = demo_people.seed()
    demo_community.seed(org)  # one release note new to everyone, one answered network question
    db.session.commit()
    started = 0
    for path in packages.shipped_packages():
        try:
            version = engine.store_version(packages.load(path))
        except engine.ValidationFailed as err:
            print(f"skipping {path}:\n{err}", file=sys.stderr)
            continue
        _publish_and_activate(path, version, org)
        db.session.commit()
        scenarios = {p.stem: json.loads(p.read_text(encoding="utf-8"))
                     for p in sorted((path / "scenarios").glob("*.json"))}
        # Residents start open programs themselves (R16), so the seed leaves those alone; the
        # publishing process runs for real, once per program published above (cli/demo_publishing.py).
        if scenarios and not version.meta.get("open") and version.meta.get("kind") == "treatment":
            people = [(org.residents[key].id, name, steps, days) for key, name, steps, days in STAGES]
            first = next(iter(scenarios.values()))
            started += _start(version, [(who, scenarios.get(name, first), steps, days) for who, name, steps, days in people],
                              org.units["nord"].id, org.staff["behandlare"].id)
    demo_cases.seed(org, current_app.extensions["vardflode_settings"])
    _catch_up_to_now()
    return f"{len(packages.shipped_packages())} programs published, {started} instances started"


def _publish_and_activate(path, version, org) -> None:
    """Into the catalogue under the national publisher unit, through the approval path
    (cli/demo_publishing.py); programs for residents go live on Nord."""
    demo_publishing.publish(path, version.content_hash, org)
    if version.meta.get("kind") in ACTIVATED_KINDS:
        catalogue.activate(version.meta["id"], [org.units["nord"].id], org.staff["vardgivaradmin"].id)


def _start(version, people, unit_id, owner_id) -> int:
    for resident, scenario_data, steps, days in people:
        engine.clock.reset()
        engine.clock.freeze(engine.clock.now() - timedelta(days=days))
        outcome = engine.start(version.content_hash, engine.SYSTEM, unit_id=unit_id,
                               subject_id=resident, owner_id=owner_id)
        db.session.commit()
        try:
            driver.run(outcome.instance_id, driver.Scenario(scenario_data), stop_after=steps)
        except driver.MissingScenarioData:
            pass
    engine.clock.reset()
    return len(people)


def _catch_up_to_now() -> None:
    """Fire what fell due while the residents' pasts were played (e.g. a follow-up questionnaire
    that opened last week), so the seeded clinic looks like one that has been running."""
    engine.clock.reset()
    driver.move_clock_to(engine.clock.now())
    engine.clock.reset()


def credentials() -> str:
    """The demo sign-ins, for the person trying the platform (demo data only)."""
    lines = ["Demo staff (password for all: %s). TOTP secrets for an authenticator app, or run"
             " `vardflode demo-code HSA-ID` for the current code:" % demo_people.DEMO_PASSWORD]
    for key, hsa, given, family, role, _scope, _where in demo_people.STAFF:
        lines.append(f"  {role:<22} {given} {family:<16} {hsa:<20} TOTP {demo_people.totp_secret_for(hsa)}")
    lines.append("Residents: choose a test identity at /logga-in/invanare.")
    return "\n".join(lines)
