"""Sign-in through the real pages: password then TOTP then assignment; rate limits and lockout;
server-side sessions that logout, idle time, revocation and closed units really end."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from access import childcodes, directory, totp
from access.models import Assignment, Staff
from access.policy import may_use_design_tool
from access.principal import Principal
from access.providers import ConfigurationError, PasswordTotpProvider, configure
from engine import clock
from engine.db import db
from cli import demo_people

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture()
def org(ctx):
    clock.freeze(clock.now())
    org = demo_people.seed()
    db.session.commit()
    return org


def csrf(client, path):
    page = client.get(path, follow_redirects=True)  # "/" sends the signed-in to their start page
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, (path, page.status_code, page.headers.get("Location"))
    return found.group(1)


def password_step(client, hsa, password=demo_people.DEMO_PASSWORD):
    return client.post("/logga-in/medarbetare", data={"csrf_token": csrf(client, "/logga-in/medarbetare"),
                                                      "identifier": hsa, "password": password})


def code_step(client, code):
    return client.post("/logga-in/medarbetare/kod", data={"csrf_token": csrf(client, "/logga-in/medarbetare/kod"),
                                                          "code": code})


def sign_in(client, staff):
    assert password_step(client, staff.hsa_id).status_code == 302
    response = code_step(client, totp.current_code(staff.totp_secret))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def whoami(client):
    return client.get("/", follow_redirects=True).get_data(as_text=True)  # the header names who is signed in


def test_staff_sign_in_needs_password_and_a_fresh_totp_code(ctx, org):
    client = ctx.test_client()
    staff = org.staff["behandlare"]
    assert password_step(client, staff.hsa_id, "wrong").status_code == 401
    assert password_step(client, staff.hsa_id).headers["Location"].endswith("/logga-in/medarbetare/kod")
    assert staff.display_name not in whoami(client)  # not signed in before the second factor
    assert code_step(client, "000000").status_code == 401
    assert code_step(client, totp.current_code(staff.totp_secret)).status_code == 302
    assert staff.display_name in whoami(client)


def test_a_totp_code_is_accepted_once(ctx, org):
    staff = org.staff["behandlare"]
    code = totp.current_code(staff.totp_secret)
    first, second = ctx.test_client(), ctx.test_client()
    password_step(first, staff.hsa_id)
    assert code_step(first, code).status_code == 302
    password_step(second, staff.hsa_id)
    assert code_step(second, code).status_code == 401  # replaying the same time step
    clock.advance(timedelta(seconds=30))
    assert code_step(second, totp.current_code(staff.totp_secret)).status_code == 302


def test_five_wrong_passwords_lock_the_account(ctx, org):
    client = ctx.test_client()
    staff = org.staff["designer"]
    for _ in range(5):
        assert password_step(client, staff.hsa_id, "wrong").status_code == 401
    assert password_step(client, staff.hsa_id).status_code == 429  # even the right password
    clock.advance(timedelta(minutes=16))
    assert password_step(client, staff.hsa_id).status_code == 302


def test_every_address_is_rate_limited(ctx, org):
    client = ctx.test_client()
    statuses = [password_step(client, f"nobody-{n}", "x").status_code for n in range(31)]
    assert statuses[:30] == [401] * 30 and statuses[30] == 429


def test_session_replay_after_logout_fails(ctx, org):
    client = ctx.test_client()
    staff = org.staff["behandlare"]
    sign_in(client, staff)
    cookie = client.get_cookie("vf_session").value
    client.post("/logga-ut", data={"csrf_token": csrf(client, "/")})
    replay = ctx.test_client()
    replay.set_cookie("vf_session", cookie)
    assert staff.display_name not in whoami(replay)


def test_sign_in_gives_a_new_session_id(ctx, org):
    client = ctx.test_client()
    client.set_cookie("vf_session", "attacker-chosen")
    sign_in(client, org.staff["behandlare"])
    assert client.get_cookie("vf_session").value != "attacker-chosen"


def test_idle_and_absolute_limits(ctx, org):
    client = ctx.test_client()
    staff = org.staff["behandlare"]
    sign_in(client, staff)
    clock.advance(timedelta(minutes=29))
    assert staff.display_name in whoami(client)
    clock.advance(timedelta(minutes=31))
    assert staff.display_name not in whoami(client)
    clock.advance(timedelta(seconds=30))
    sign_in(client, staff)
    for _ in range(25):  # active all day, but never past 12 hours
        clock.advance(timedelta(minutes=29))
        whoami(client)
    assert staff.display_name not in whoami(client)


def test_revoking_the_assignment_ends_its_sessions(ctx, org):
    client = ctx.test_client()
    staff = org.staff["behandlare"]
    sign_in(client, staff)
    assignment = db.session.query(Assignment).filter_by(staff_id=staff.id).one()
    assert directory.revoke_assignment(assignment, actor_id="admin") == 1
    db.session.commit()
    assert staff.display_name not in whoami(client)


def test_staff_with_several_assignments_choose_one(ctx, org):
    staff = org.staff["behandlare"]
    directory.add_assignment(staff, org.units["syd"])
    db.session.commit()
    client = ctx.test_client()
    password_step(client, staff.hsa_id)
    response = code_step(client, totp.current_code(staff.totp_secret))
    assert response.headers["Location"].endswith("/logga-in/medarbetare/uppdrag")
    page = client.get("/logga-in/medarbetare/uppdrag").get_data(as_text=True)
    assert "Psykiatrimottagning Nord" in page and "Vårdcentral Syd" in page


def test_residents_sign_in_with_the_development_e_id(ctx, org):
    client = ctx.test_client()
    resident = org.residents["anna"]
    client.post("/logga-in/invanare", data={"csrf_token": csrf(client, "/logga-in/invanare"),
                                            "identity": resident.id})
    assert resident.given_name in whoami(client)


def test_production_refuses_a_development_e_id_provider():
    with pytest.raises(ConfigurationError, match="production refuses"):
        configure({"ENV_NAME": "production", "RESIDENT_EID": "development"})
    with pytest.raises(ConfigurationError, match="not available"):
        configure({"STAFF_AUTH": "sms_otp"})


def test_a_child_code_works_once_and_wrong_tries_void_it(ctx, org):
    child = org.residents["elsa"]
    code = childcodes.issue(child.id, issued_by=org.staff["behandlare"].id)
    db.session.commit()
    assert len(code.replace("-", "")) == 11
    client = ctx.test_client()
    ok = client.post("/logga-in/barn", data={"csrf_token": csrf(client, "/logga-in/barn"), "code": code.lower()})
    assert ok.status_code == 302 and child.given_name in whoami(client)
    again = ctx.test_client()
    assert again.post("/logga-in/barn", data={"csrf_token": csrf(again, "/logga-in/barn"),
                                              "code": code}).status_code == 401
    second = childcodes.issue(child.id, issued_by=org.staff["behandlare"].id)
    db.session.commit()
    wrong = second[:4] + ("A" if second[4] != "A" else "B") + second[5:]
    for _ in range(5):
        client.post("/logga-in/barn", data={"csrf_token": csrf(client, "/logga-in/barn"), "code": wrong})
    fresh = ctx.test_client()
    assert fresh.post("/logga-in/barn", data={"csrf_token": csrf(fresh, "/logga-in/barn"),
                                              "code": second}).status_code == 401  # voided


def test_a_child_code_expires(ctx, org):
    code = childcodes.issue(org.residents["elsa"].id, issued_by="s")
    db.session.commit()
    clock.advance(childcodes.LIFETIME + timedelta(seconds=1))
    assert childcodes.redeem(code) is None


def test_the_design_tool_refuses_sms_one_time_codes():
    designer = Principal(kind="staff", id="d", display_name="D", auth_method="password_totp", session_hash="h",
                         roles={"designer"})
    assert may_use_design_tool(designer)
    designer.auth_method = "sms_otp"
    assert not may_use_design_tool(designer)


def all_at_once(app, count: int, attempt) -> list[bool]:
    """Run ``attempt()`` in ``count`` threads released together, each in its own app context and
    transaction; what each returned (False where the database kept it out: SQLite's writer lock)."""
    barrier, results = threading.Barrier(count), []

    def run():
        with app.app_context():
            prepared = attempt.prepare() if hasattr(attempt, "prepare") else None
            barrier.wait(timeout=10)
            try:
                won = bool(attempt(prepared))
                db.session.commit()
                results.append(won)
            except OperationalError:
                db.session.rollback()
                results.append(False)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_one_child_code_redeemed_eight_times_at_once_signs_in_once(app, ctx, org):
    # Given one code, when eight devices redeem it at the same moment, then exactly one gets in
    # (the others find it used, or the database keeps them out; none of them signs in).
    code = childcodes.issue(org.residents["elsa"].id, issued_by=org.staff["behandlare"].id)
    db.session.commit()
    results = all_at_once(app, 8, lambda _: childcodes.redeem(code) is not None)
    assert len(results) == 8 and results.count(True) == 1


def test_one_totp_code_sent_by_two_devices_at_once_is_accepted_once(app, ctx, org):
    # Given a stolen password and a code read over the shoulder, when the thief and the owner send
    # the same code at the same moment, then only one of them gets past the second factor.
    staff_id = org.staff["behandlare"].id
    code = totp.current_code(org.staff["behandlare"].totp_secret)

    def check(staff):
        return PasswordTotpProvider().check_second_factor(staff, code)
    check.prepare = lambda: db.session.get(Staff, staff_id)
    results = all_at_once(app, 4, check)
    assert len(results) == 4 and results.count(True) == 1


def test_a_form_token_from_before_sign_in_does_not_work_after_it(ctx, org):
    # Given a CSRF token planted before sign-in (e.g. on a shared computer), when the person signs
    # in, then the session gets a new CSRF secret and the old token is refused.
    client = ctx.test_client()
    before = csrf(client, "/logga-in/medarbetare")
    sign_in(client, org.staff["behandlare"])
    refused = client.post("/sprak", data={"csrf_token": before, "lang": "en"})
    assert refused.status_code == 400
    accepted = client.post("/sprak", data={"csrf_token": csrf(client, "/"), "lang": "en"})
    assert accepted.status_code in (302, 303)


def test_production_session_cookies_carry_the_host_prefix(ctx, org):
    # Given cookies that are Secure (production), then the session cookie is __Host-: Secure,
    # path /, no Domain, so no other host or plain-http page can plant or read it.
    ctx.config["SESSION_COOKIE_SECURE"] = True
    try:
        client = ctx.test_client()
        client.environ_base["wsgi.url_scheme"] = "https"
        response = sign_in(client, org.staff["behandlare"])
    finally:
        ctx.config["SESSION_COOKIE_SECURE"] = False
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if "vf_session" in h)
    assert cookie.startswith("__Host-vf_session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie
