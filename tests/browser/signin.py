"""Signing in through the real pages, as a person would: password, TOTP code, assignment."""
from __future__ import annotations

from datetime import timedelta

from access import totp
from engine import clock
from cli import demo_people


def sign_in_staff(page, hsa_id: str) -> None:
    """Sign in on ``page`` (at the staff sign-in page) as demo staff ``hsa_id``."""
    page.fill("#identifier", hsa_id)
    page.fill("#password", demo_people.DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/logga-in/medarbetare/kod")
    page.fill("#code", totp.current_code(demo_people.totp_secret_for(hsa_id)))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if page.url.endswith("/logga-in/medarbetare/uppdrag"):
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    assert "/logga-in/" not in page.url, page.url
    clock.advance(timedelta(seconds=31))  # a TOTP time step is accepted once per person
