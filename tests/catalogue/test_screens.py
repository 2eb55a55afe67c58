"""The catalogue screen of the care provider administrator, through the real sign-in: what was
published by whom, and activation, deactivation and major moves for the provider's own units
only; a unit of another care provider is refused with 403 and a security event."""
from __future__ import annotations

from tests.support.publishing import publish_approved
import catalogue
from catalogue.models import Activation
from engine.db import db
from tests.catalogue.programs import stored
from tests.web.signin import demo, post, security_events  # noqa: F401

PAGE = "/katalog"


def publish(demo, **meta) -> str:
    version = stored(**meta)
    publish_approved(version, demo.org.publishers["national"].id, demo.org.staff["utgivare"].id)
    db.session.commit()
    return version


def change(client, demo, op, units, **extra):
    data = {"op": op, "provider_id": demo.org.providers["region"].id, "program_key": "weekly_check",
            "unit_id": [demo.org.units[key].id for key in units], **extra}
    return post(client, PAGE, data)


def test_the_catalogue_shows_each_version_with_publisher_kind_languages_and_record_items(demo):
    publish(demo, version="1.0", journal_items=["answer"])
    publish(demo, version="1.1", kind="education", languages=["sv"], journal_items=[], open=True)
    page = demo.staff("vardgivaradmin").get(PAGE)
    assert page.status_code == 200
    text = page.text
    for shown in ("Veckokoll", "1.0", "1.1", "Nationella programredaktionen", "Behandling", "Patientutbildning",
                  "Svenska, engelska", "answer", "Ja, invånaren startar det själv"):
        assert shown.lower() in text.lower(), shown
    assert "Psykiatrimottagning Nord" in text and "Vårdcentral Syd" in text
    assert "Privat KBT-mottagning" not in text  # another care provider's unit
    assert 'type="checkbox"' in text and "<legend>" in text


def test_the_admin_activates_for_chosen_units_and_deactivates(demo):
    version = publish(demo, version="1.0")
    client = demo.staff("vardgivaradmin")
    response = change(client, demo, "activate", ["nord", "syd"])
    assert response.status_code == 302
    nord, syd = demo.org.units["nord"].id, demo.org.units["syd"].id
    assert catalogue.version_for_new_start("weekly_check", nord) == version
    assert catalogue.version_for_new_start("weekly_check", syd) == version
    admin = demo.org.staff["vardgivaradmin"].id
    assert {(e.subject, e.actor_id) for e in security_events("program_activated")} == {(nord, admin), (syd, admin)}
    assert "aktiverades" in client.get(response.headers["Location"]).text
    assert change(client, demo, "deactivate", ["syd"]).status_code == 302
    assert catalogue.version_for_new_start("weekly_check", syd) is None
    assert [e.subject for e in security_events("program_deactivated")] == [syd]


def test_a_major_version_is_offered_as_an_explicit_move(demo):
    publish(demo, version="1.0")
    client = demo.staff("vardgivaradmin")
    change(client, demo, "activate", ["nord"])
    major = publish(demo, version="2.0")
    page = client.get(PAGE).text
    assert "Flytta till den nya huvudversionen 2.0" in page and "Psykiatrimottagning Nord (nu 1.0)" in page
    response = change(client, demo, "upgrade", ["nord"], version_hash=major)
    assert response.status_code == 302
    assert catalogue.version_for_new_start("weekly_check", demo.org.units["nord"].id) == major
    assert security_events("program_upgraded")[-1].subject == demo.org.units["nord"].id


def test_a_refused_move_says_why(demo):
    first = publish(demo, version="1.0")
    client = demo.staff("vardgivaradmin")
    change(client, demo, "activate", ["nord"])
    response = change(client, demo, "upgrade", ["nord"], version_hash=first)
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert "nyare huvudversion" in response.text
    assert change(client, demo, "activate", []).status_code == 400


def test_another_care_providers_unit_is_refused_and_logged(demo):
    publish(demo, version="1.0")
    client = demo.staff("vardgivaradmin")
    assert change(client, demo, "activate", ["nord", "privat"]).status_code == 403
    other_provider = post(client, PAGE, {"op": "activate", "provider_id": demo.org.providers["privat"].id,
                                         "program_key": "weekly_check", "unit_id": demo.org.units["privat"].id})
    assert other_provider.status_code == 403
    assert db.session.query(Activation).count() == 0
    refused = security_events("access_refused")
    assert len(refused) == 2 and all(e.subject == "catalogue.index" for e in refused)


def test_only_a_care_provider_admin_opens_the_catalogue(demo):
    assert demo.staff("behandlare").get(PAGE).status_code == 403
    assert demo.staff("utgivare").get(PAGE).status_code == 403
    assert demo.client().get(PAGE).status_code == 302  # to sign-in
