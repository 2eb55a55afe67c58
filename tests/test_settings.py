"""The one configuration: every variable read with its default and its type, bad values refused
with the variable's name, and the documentation listing exactly the variables that are read."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import settings
from notify import outbox
from settings import SettingsError, from_environment
from tests.conftest import ROOT


def test_the_defaults(tmp_path):
    chosen = from_environment(environ={}, DATA_DIR=str(tmp_path))
    assert (chosen.env, chosen.production, chosen.data_dir) == ("development", False, tmp_path)
    assert chosen.database_url == f"sqlite:///{tmp_path.resolve() / 'vardflode.sqlite3'}"
    assert (chosen.broker_url, chosen.secret_key) == ("stub", None)
    assert (chosen.staff_auth, chosen.resident_eid) == ("password_totp", "development")
    assert (chosen.timer_resend, chosen.notify_resend) == (timedelta(seconds=15), timedelta(seconds=60))
    assert chosen.notify_resend == outbox.RESEND_AFTER  # the outbox's own default is the same
    assert (chosen.email_transport, chosen.sms_transport) == ("file", "file")
    assert (chosen.smtp_host, chosen.smtp_port, chosen.smtp_starttls, chosen.smtp_timeout) == ("localhost", 587, True, 10.0)
    assert (chosen.smtp_username, chosen.smtp_password) == (None, None)
    assert chosen.mail_from == "Vårdflöde <no-reply@vardflode.invalid>"
    assert (chosen.pdl_key, chosen.pdl_anchor_dir) == (None, tmp_path / "pdl-anchor")
    assert chosen.pdl_checkpoint == timedelta(seconds=300)
    assert chosen.demo_clock is False
    assert from_environment(environ={}).data_dir == Path("instance")


EVERY_VARIABLE = {
    "VARDFLODE_ENV": ("production", "env", "production"),
    "VARDFLODE_DATA_DIR": ("/srv/vardflode", "data_dir", Path("/srv/vardflode")),
    "VARDFLODE_DATABASE_URL": ("postgresql://vf@db/vf", "database_url", "postgresql+psycopg://vf@db/vf"),
    "VARDFLODE_BROKER_URL": ("redis://redis:6379/0", "broker_url", "redis://redis:6379/0"),
    "VARDFLODE_SECRET_KEY": ("k" * 64, "secret_key", "k" * 64),
    "VARDFLODE_STAFF_AUTH": ("siths", "staff_auth", "siths"),
    "VARDFLODE_RESIDENT_EID": ("bankid", "resident_eid", "bankid"),
    "VARDFLODE_TIMER_RESEND_SECONDS": ("2.5", "timer_resend", timedelta(seconds=2.5)),
    "VARDFLODE_NOTIFY_RESEND_SECONDS": ("30", "notify_resend", timedelta(seconds=30)),
    "VARDFLODE_EMAIL_TRANSPORT": ("file", "email_transport", "file"),
    "VARDFLODE_SMTP_HOST": ("smtp.example.se", "smtp_host", "smtp.example.se"),
    "VARDFLODE_SMTP_PORT": ("2525", "smtp_port", 2525),
    "VARDFLODE_SMTP_USERNAME": ("vardflode", "smtp_username", "vardflode"),
    "VARDFLODE_SMTP_PASSWORD": ("hemligt", "smtp_password", "hemligt"),
    "VARDFLODE_SMTP_STARTTLS": ("0", "smtp_starttls", False),
    "VARDFLODE_SMTP_TIMEOUT": ("3", "smtp_timeout", 3.0),
    "VARDFLODE_MAIL_FROM": ("Region <noreply@region.se>", "mail_from", "Region <noreply@region.se>"),
    "VARDFLODE_SMS_TRANSPORT": ("file", "sms_transport", "file"),
    "VARDFLODE_PDL_KEY": ("p" * 32, "pdl_key", "p" * 32),
    "VARDFLODE_PDL_ANCHOR_DIR": ("/srv/pdl-anchor", "pdl_anchor_dir", Path("/srv/pdl-anchor")),
    "VARDFLODE_PDL_CHECKPOINT_SECONDS": ("60", "pdl_checkpoint", timedelta(seconds=60)),
    "VARDFLODE_DEMO_CLOCK": ("0", "demo_clock", False),  # production refuses 1 (below)
    "VARDFLODE_INCIDENT_GUIDANCE_URL": ("https://lv.example/nmi", "incident_guidance_url", "https://lv.example/nmi"),
    "VARDFLODE_INCIDENT_EVIDENCE_DIR": ("/srv/evidence", "incident_evidence_dir", Path("/srv/evidence")),
    "VARDFLODE_INCIDENT_EVIDENCE_MAX_MB": ("2", "incident_evidence_max_bytes", 2 * 1024 * 1024),
    "VARDFLODE_INCIDENT_DEADLINES": (
        "death=PT2H/PT12H, serious_deterioration=PT4H/P1D,could_have_led_to=P1D/P2D,no_harm=P1W/P1W",
        "incident_deadlines", {"death": ("PT2H", "PT12H"), "serious_deterioration": ("PT4H", "P1D"),
                               "could_have_led_to": ("P1D", "P2D"), "no_harm": ("P1W", "P1W")}),
    "VARDFLODE_PUBLIC_URL": ("https://vardflode.region.se/", "public_url", "https://vardflode.region.se"),
    "VARDFLODE_VIDEO_VENDOR_URL": ("https://video.example/api/", "video_vendor_url", "https://video.example/api"),
    "VARDFLODE_VIDEO_CALLBACK_SECRET": ("v" * 32, "video_callback_secret", "v" * 32),
    "VARDFLODE_SUPPORT_LOGIN_URL": ("https://eid.example/support", "support_login_url", "https://eid.example/support"),
    "VARDFLODE_PDL_RETENTION_YEARS": ("10", "pdl_retention_years", 10),
    "VARDFLODE_PURGE_BATCH": ("500", "purge_batch", 500),
}


def test_every_variable_is_read_with_its_type():
    assert set(EVERY_VARIABLE) == {settings.PREFIX + v.name for v in settings.VARIABLES}
    chosen = from_environment(environ={name: raw for name, (raw, _, _) in EVERY_VARIABLE.items()})
    assert {name: getattr(chosen, field) for name, (_, field, _) in EVERY_VARIABLE.items()} == {
        name: value for name, (_, _, value) in EVERY_VARIABLE.items()}


@pytest.mark.parametrize("variable, value", [
    ("INCIDENT_GUIDANCE_URL", "http://lv.example/"), ("INCIDENT_GUIDANCE_URL", "javascript:alert(1)"),
    ("SUPPORT_LOGIN_URL", "http://eid.example/"),
    ("INCIDENT_EVIDENCE_MAX_MB", "0"), ("INCIDENT_EVIDENCE_MAX_MB", "many"),
    ("INCIDENT_DEADLINES", "death=PT4H/P1D"),  # the other consequences are missing
    ("INCIDENT_DEADLINES", "death=4 hours/P1D,serious_deterioration=PT8H/P1D,could_have_led_to=P1D/P2D,no_harm=P5D/P5D"),
])
def test_bad_incident_settings_are_refused_by_name(variable, value):
    with pytest.raises(SettingsError, match=f"VARDFLODE_{variable}"):
        from_environment(environ={f"VARDFLODE_{variable}": value})


@pytest.mark.parametrize("variable, value", [
    ("PDL_RETENTION_YEARS", "4"), ("PDL_RETENTION_YEARS", "five"), ("PURGE_BATCH", "0"), ("PURGE_BATCH", "10001"),
])
def test_a_pdl_retention_below_five_years_or_a_bad_batch_is_refused_by_name(variable, value):
    with pytest.raises(SettingsError, match=f"VARDFLODE_{variable}"):
        from_environment(environ={f"VARDFLODE_{variable}": value})


def test_the_incident_defaults(tmp_path):
    chosen = from_environment(environ={}, DATA_DIR=str(tmp_path))
    assert chosen.incident_evidence_dir == tmp_path / "incident-evidence"
    assert chosen.incident_evidence_max_bytes == 5 * 1024 * 1024
    assert chosen.incident_deadlines["death"] == ("PT4H", "P1D")


def test_secrets_stay_out_of_the_representation():
    chosen = from_environment(environ={"VARDFLODE_SECRET_KEY": "k" * 64, "VARDFLODE_SMTP_PASSWORD": "hemligt",
                                       "VARDFLODE_PDL_KEY": "p" * 32})
    assert "k" * 64 not in repr(chosen) and "hemligt" not in repr(chosen) and "p" * 32 not in repr(chosen)


def test_overrides_win_over_the_environment_and_must_be_settings(tmp_path):
    environ = {"VARDFLODE_BROKER_URL": "redis://redis:6379/0", "VARDFLODE_TIMER_RESEND_SECONDS": "9"}
    chosen = from_environment(environ=environ, DATA_DIR=tmp_path, BROKER_URL="stub", TIMER_RESEND_SECONDS=2)
    assert (chosen.broker_url, chosen.timer_resend) == ("stub", timedelta(seconds=2))
    assert from_environment(environ=environ, BROKER_URL=None).broker_url == "redis://redis:6379/0"
    with pytest.raises(TypeError, match="BROKER"):
        from_environment(environ={}, BROKER="stub")


PRODUCTION = {"VARDFLODE_ENV": "production", "VARDFLODE_SECRET_KEY": "k", "VARDFLODE_PDL_KEY": "p" * 32,
              "VARDFLODE_DATABASE_URL": "postgresql://vardflode@db/vardflode",
              "VARDFLODE_BROKER_URL": "redis://redis:6379/0", "VARDFLODE_RESIDENT_EID": "bankid",
              "VARDFLODE_PUBLIC_URL": "https://vardflode.region.se"}


@pytest.mark.parametrize("public_url", [None, "http://vardflode.region.se"])
def test_production_needs_its_own_https_address_for_the_links_it_sends(public_url):
    """Without it, an activation link would be built from the request's Host header, which
    whoever sends the request chooses."""
    with pytest.raises(SettingsError, match="VARDFLODE_PUBLIC_URL must be set to the platform's https:// address"):
        from_environment(environ=PRODUCTION | {"VARDFLODE_PUBLIC_URL": public_url or ""})


@pytest.mark.parametrize("raw", ["vardflode.region.se", "https://x.se/?next=evil", "https://a b.se"])
def test_a_public_address_that_is_not_one_is_refused(raw):
    with pytest.raises(SettingsError, match="VARDFLODE_PUBLIC_URL must be the platform's address"):
        from_environment(environ={"VARDFLODE_PUBLIC_URL": raw})


def test_production_changes_the_transport_defaults():
    chosen = from_environment(environ=PRODUCTION)
    assert (chosen.production, chosen.email_transport, chosen.sms_transport) == (True, "smtp", "log")


def test_production_without_a_secret_key_refuses_to_start():
    with pytest.raises(SettingsError, match="VARDFLODE_SECRET_KEY must be set in production"):
        from_environment(environ={"VARDFLODE_ENV": "production"})
    with pytest.raises(SettingsError, match="VARDFLODE_SECRET_KEY"):
        from_environment(environ={"VARDFLODE_ENV": "production", "VARDFLODE_SECRET_KEY": ""})


@pytest.mark.parametrize(("name", "raw", "says"), [
    ("VARDFLODE_TIMER_RESEND_SECONDS", "soon", "must be a number of seconds, not 'soon'"),
    ("VARDFLODE_NOTIFY_RESEND_SECONDS", "0", "must be more than 0 seconds"),
    ("VARDFLODE_NOTIFY_RESEND_SECONDS", "nan", "must be more than 0 seconds"),
    ("VARDFLODE_SMTP_TIMEOUT", "-1", "must be more than 0 seconds"),
    ("VARDFLODE_SMTP_PORT", "smtp", "must be a port number"),
    ("VARDFLODE_SMTP_PORT", "70000", "must be a port number"),
    ("VARDFLODE_SMTP_STARTTLS", "maybe", "must be 1 or 0"),
    ("VARDFLODE_ENV", "prod", "must be one of development, production, not 'prod'"),
    ("VARDFLODE_EMAIL_TRANSPORT", "pigeon", "must be one of file, smtp"),
    ("VARDFLODE_SMS_TRANSPORT", "smtp", "must be one of file, log"),
])
def test_a_bad_value_is_refused_with_the_variable_named(name, raw, says):
    with pytest.raises(SettingsError) as refused:
        from_environment(environ={name: raw})
    assert str(refused.value).startswith(f"{name} {says}")


def test_the_app_refuses_a_bad_value_at_start_up(tmp_path, monkeypatch):
    from web import create_app
    monkeypatch.setenv("VARDFLODE_TIMER_RESEND_SECONDS", "soon")
    with pytest.raises(SettingsError, match="VARDFLODE_TIMER_RESEND_SECONDS"):
        create_app(DATA_DIR=str(tmp_path))


def test_the_configuration_document_has_the_table_of_every_variable():
    document = (ROOT / "docs" / "CONFIGURATION.md").read_text(encoding="utf-8")
    assert settings.markdown_table() in document


def test_the_readme_points_to_the_table_and_names_every_variable():
    production = (ROOT / "README.md").read_text(encoding="utf-8").split("## Running in production")[1].split("\n## ")[0]
    assert "docs/CONFIGURATION.md" in production
    assert [v.name for v in settings.VARIABLES if f"`{settings.PREFIX}{v.name}`" not in production] == []


@pytest.mark.parametrize("variable, value, reason", [
    ("VARDFLODE_DATABASE_URL", "", "must name a PostgreSQL database in production"),
    ("VARDFLODE_DATABASE_URL", "sqlite:////srv/vardflode.sqlite3", "not SQLite"),
    ("VARDFLODE_BROKER_URL", "stub", "not the in-process stub"),
    ("VARDFLODE_RESIDENT_EID", "development", "test identities"),
    ("VARDFLODE_PDL_KEY", "", "VARDFLODE_PDL_KEY must be set in production"),
    ("VARDFLODE_PDL_KEY", "p" * 31, "at least 32 characters"),
    ("VARDFLODE_PDL_KEY", "k", "must not be the same as VARDFLODE_SECRET_KEY"),
    ("VARDFLODE_DEMO_CLOCK", "1", "movable demo clock"),
])
def test_production_fails_closed(variable, value, reason):
    # Given production with one thing that is only for a laptop, then it refuses to start.
    with pytest.raises(SettingsError, match=reason):
        from_environment(environ={**PRODUCTION, variable: value})
