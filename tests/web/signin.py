"""Signing in through the real forms, as a browser would (CSRF token from the page, password,
TOTP code, assignment), the demo organisation with programs running, and PDL row checks.

Import the fixtures you use into the test module (``from tests.web.signin import demo``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

import engine
from access import directory, totp
from access.records import PdlEntry, SecurityEvent
from engine.db import db
from engine.models import ProgramVersion
from tests.conftest import FIXTURES
from cli.demo_people import DEMO_PASSWORD, DemoOrg, personnummer_for, seed, totp_secret_for

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# A Tuesday, 10:00 Swedish time: inside office hours, so no entry is a risk sign by accident.
WORKDAY = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
# What a PDL row must say about an access made from a unit (SECURITY.md §3.2).
CONTEXT = ("actor_type", "actor_id", "role", "care_provider_id", "unit_id", "assignment_id", "purpose",
           "resident_id", "action", "resource_type", "resource_id", "outcome", "request_id")


def csrf_token(client, path: str) -> str:
    html = client.get(path, follow_redirects=True).get_data(as_text=True)  # "/" sends the signed-in on
    match = CSRF.search(html)
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def post(client, path: str, data: dict, *, token_from: str | None = None):
    """POST ``data`` with the CSRF token of the page the form is on (``path`` unless told)."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from or path)})


def sign_in_staff(client, hsa_id: str, assignment_id: str | None = None):
    """Password, TOTP code, and the assignment when there is a choice; returns the client."""
    response = post(client, "/logga-in/medarbetare", {"identifier": hsa_id, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.status_code
    code = totp.current_code(totp_secret_for(hsa_id))
    response = post(client, "/logga-in/medarbetare/kod", {"code": code})
    assert response.status_code == 302, response.get_data(as_text=True)
    if response.headers["Location"].endswith("/logga-in/medarbetare/uppdrag"):
        page = client.get("/logga-in/medarbetare/uppdrag").get_data(as_text=True)
        chosen = assignment_id or re.search(r'name="assignment" value="([^"]+)"', page).group(1)
        response = post(client, "/logga-in/medarbetare/uppdrag", {"assignment": chosen})
        assert response.status_code == 302
    # A TOTP time step is accepted once per person: the next sign-in needs the next step.
    engine.clock.advance(timedelta(seconds=30))
    return client


def sign_in_resident(client, resident_id: str):
    response = post(client, "/logga-in/invanare", {"identity": resident_id})
    assert response.status_code == 302
    return client


def sign_in_child(client, code: str):
    return post(client, "/logga-in/barn", {"code": code})


@dataclass
class World:
    app: object
    org: DemoOrg
    version: str
    instances: dict  # resident key -> process instance id

    @property
    def program(self) -> str:
        """The program's name as the screens show it: a link in a table row header."""
        return f'>{db.session.get(ProgramVersion, self.version).name}</a></th>'

    def hsa(self, key: str) -> str:
        return self.org.staff[key].hsa_id

    def resident(self, key: str):
        return self.org.residents[key]

    def client(self):
        return self.app.test_client()

    def staff(self, key: str, assignment_id: str | None = None):
        """A test client signed in as the demo staff member ``key``."""
        return sign_in_staff(self.app.test_client(), self.hsa(key), assignment_id)


@pytest.fixture()
def demo(ctx, publish) -> World:
    """The demo organisation on a weekday morning, with programs on units:
    Anna, Cecilia (protected) and Elsa (a child) on Nord; Fredrik on Syd; Greta on the private unit."""
    engine.clock.freeze(WORKDAY)
    org = seed()
    org.residents["greta"] = directory.create_resident(personnummer_for(datetime(1975, 5, 5).date(), "123"),
                                                       "Greta", "Gran")
    version = publish(FIXTURES / "simple")
    placements = {"anna": ("nord", "behandlare"), "cecilia": ("nord", "behandlare"),
                  "elsa": ("nord", "behandlare"), "fredrik": ("syd", "syd"), "greta": ("privat", "privat")}
    instances = {}
    for key, (unit, owner) in placements.items():
        outcome = engine.start(version, engine.SYSTEM, unit_id=org.units[unit].id,
                               subject_id=org.residents[key].id, owner_id=org.staff[owner].id)
        instances[key] = outcome.instance_id
    db.session.commit()
    return World(ctx, org, version, instances)


def pdl_rows(**where) -> list[PdlEntry]:
    stmt = select(PdlEntry).where(*(getattr(PdlEntry, k) == v for k, v in where.items()))
    return list(db.session.scalars(stmt.order_by(PdlEntry.seq)))


def missing_context(row: PdlEntry) -> list[str]:
    return [name for name in CONTEXT if getattr(row, name) in (None, "")]


def security_events(kind: str) -> list[SecurityEvent]:
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.kind == kind)
                                   .order_by(SecurityEvent.id)))
