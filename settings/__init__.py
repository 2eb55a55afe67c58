"""The platform's one configuration: every environment variable, read in one place at start-up.

``from_environment(**overrides)`` reads the variables of ``VARIABLES`` into a frozen ``Settings``
and refuses bad values with a ``SettingsError`` that names the variable. Nothing else in the
platform reads ``os.environ``; docs/CONFIGURATION.md holds ``markdown_table()``'s output.

Why a top-level package: the web app, the actors (tasks), the notification transports (notify)
and the command line all need these values, and nothing below web may import web. This package
imports only the standard library, so every layer can reach the type; the values themselves
travel by parameter: ``create_app`` reads them once, puts the Flask part in ``app.config`` and
binds the rest with ``tasks.config.configure(settings)``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable, Mapping

from settings.parsers import (  # noqa: F401 - PREFIX and SettingsError are the package's own names
    PREFIX, SettingsError, _choice, _database_url, _deadlines, _flag, _http_url, _https_url, _megabytes,
    _optional, _path, _port, _public_url, _seconds, _text, _timeout, _whole)


@dataclass(frozen=True)
class Settings:
    """The values of ``VARIABLES``, typed; secrets are left out of ``repr`` so a logged one leaks nothing."""

    env: str
    data_dir: Path
    database_url: str
    broker_url: str
    secret_key: str | None = field(repr=False)  # None outside production: web keeps a key in the data folder
    staff_auth: str
    resident_eid: str
    timer_resend: timedelta
    notify_resend: timedelta
    email_transport: str
    smtp_host: str
    smtp_port: int
    smtp_username: str | None
    smtp_password: str | None = field(repr=False)
    smtp_starttls: bool
    smtp_timeout: float
    mail_from: str
    sms_transport: str
    pdl_key: str | None = field(repr=False)  # None outside production: derived from the secret key (web)
    pdl_anchor_dir: Path
    pdl_checkpoint: timedelta
    demo_clock: bool
    incident_guidance_url: str
    incident_evidence_dir: Path
    incident_evidence_max_bytes: int
    incident_deadlines: dict
    public_url: str | None  # None outside production: links are built on the request's own address
    support_login_url: str
    pdl_retention_years: int
    purge_batch: int
    video_vendor_url: str | None = None
    video_callback_secret: str | None = field(default=None, repr=False)

    @property
    def production(self) -> bool:
        return self.env == "production"


@dataclass(frozen=True)
class Variable:
    """One environment variable: ``VARDFLODE_<name>`` fills ``Settings.<field>``."""

    name: str
    field: str
    kind: str
    default: str | None  # as written in the environment; None: see ``meaning``
    parse: Callable[[str, str], Any]
    meaning: str


VARIABLES = (
    Variable("ENV", "env", "`development` or `production`", "development", _choice("development", "production"),
             "`production` needs a secret key and a PDL key, a PostgreSQL database and a Redis broker, refuses the development "
             "e-ID, sends `__Host-` secure cookies and HSTS, and makes SMTP and log the transport defaults; "
             "any other value is refused"),
    Variable("DATA_DIR", "data_dir", "folder", "instance", _path,
             "the embedded default's files: SQLite database, development secret key, file outboxes"),
    Variable("DATABASE_URL", "database_url", "SQLAlchemy URL", None, _database_url,
             "e.g. `postgresql://vardflode@db/vardflode`; default a SQLite file in the data folder"),
    Variable("BROKER_URL", "broker_url", "`redis://host:port/db` or `stub`", "stub", _text,
             "Dramatiq's broker; `stub` runs the worker inside the process (the embedded default)"),
    Variable("SECRET_KEY", "secret_key", "text", None, _optional,
             "session signing key; required in production (elsewhere a key is kept in the data folder)"),
    Variable("STAFF_AUTH", "staff_auth", "provider name", "password_totp", _text,
             "staff sign-in provider: `password_totp` (stands in for SITHS)"),
    Variable("RESIDENT_EID", "resident_eid", "provider name", "development", _text,
             "resident e-ID provider: `development` (test identities; production refuses it)"),
    Variable("TIMER_RESEND_SECONDS", "timer_resend", "seconds", "15", _seconds,
             "a timer wake-up that has not led to a firing is sent again after this long"),
    Variable("NOTIFY_RESEND_SECONDS", "notify_resend", "seconds", "60", _seconds,
             "a notification wake-up that has not led to a delivery is sent again after this long"),
    Variable("EMAIL_TRANSPORT", "email_transport", "`file` or `smtp`", None, _choice("file", "smtp"),
             "default `smtp` in production, elsewhere `file`: one `.eml` file per message under the data folder"),
    Variable("SMTP_HOST", "smtp_host", "host name", "localhost", _text, "the SMTP transport's server"),
    Variable("SMTP_PORT", "smtp_port", "port", "587", _port, "the SMTP server's port"),
    Variable("SMTP_USERNAME", "smtp_username", "text", None, _optional, "SMTP login (none: no login)"),
    Variable("SMTP_PASSWORD", "smtp_password", "text", None, _optional, "SMTP password"),
    Variable("SMTP_STARTTLS", "smtp_starttls", "`1` or `0`", "1", _flag, "upgrade the SMTP connection with STARTTLS"),
    Variable("SMTP_TIMEOUT", "smtp_timeout", "seconds", "10", _timeout,
             "how long one SMTP exchange may take"),
    Variable("MAIL_FROM", "mail_from", "address", "Vårdflöde <no-reply@vardflode.invalid>", _text,
             "the From address of e-mails"),
    Variable("SMS_TRANSPORT", "sms_transport", "`file` or `log`", None, _choice("file", "log"),
             "default `log` in production (until a provider exists), elsewhere `file`: one JSON line per SMS"),
    Variable("PDL_KEY", "pdl_key", "text", None, _optional,
             "the key of the PDL log's HMAC chain and checkpoints; kept outside the database so whoever "
             "can write the database cannot rewrite the log unseen; required in production (at least 32 "
             "characters, not the secret key); elsewhere derived from the secret key"),
    Variable("PDL_ANCHOR_DIR", "pdl_anchor_dir", "folder", None, _path,
             "where signed checkpoints of the PDL log are appended (`pdl-checkpoints.jsonl`); put it where "
             "the database's user cannot write; default `pdl-anchor` in the data folder"),
    Variable("PDL_CHECKPOINT_SECONDS", "pdl_checkpoint", "seconds", "300", _seconds,
             "the scheduler writes a PDL checkpoint this often; entries removed from the end of the log "
             "are detected back to the last checkpoint"),
    Variable("DEMO_CLOCK", "demo_clock", "`1` or `0`", "0", _flag,
             "the demo only (`vardflode demo` sets it): national management can move the platform's clock "
             "forward a day or a week on /plattform/klocka, so timers fall due at once; production refuses it"),
    Variable("INCIDENT_GUIDANCE_URL", "incident_guidance_url", "`https://` address",
             "https://www.lakemedelsverket.se/", _https_url,
             "Läkemedelsverket's guidance and report form for incidents (R62), linked from the printable report; set it to the page of the current guidance for national medical information systems"),
    Variable("INCIDENT_EVIDENCE_DIR", "incident_evidence_dir", "folder", None, _path,
             "where incident evidence files are stored, outside the web root and readable only by the platform; "
             "default `incident-evidence` in the data folder"),
    Variable("INCIDENT_EVIDENCE_MAX_MB", "incident_evidence_max_bytes", "megabytes", "5", _megabytes,
             "the largest evidence file an incident report takes (1–100)"),
    Variable("INCIDENT_DEADLINES", "incident_deadlines", "`consequence=triage/agency,…`",
             "death=PT4H/P1D,serious_deterioration=PT8H/P1D,could_have_led_to=P1D/P2D,no_harm=P5D/P5D", _deadlines,
             "per consequence (R58, as soon as possible): how long triage and the report to Läkemedelsverket may "
             "wait before a reminder, as ISO 8601 durations; every consequence must be given"),
    Variable("PUBLIC_URL", "public_url", "`https://` address", None, _public_url,
             "the address people reach the platform at, e.g. `https://vardflode.example.se`: links sent by e-mail "
             "(a staff member's activation link) are built on it; required in production (`https://`), where a "
             "link built from the request's Host header could be pointed at another site by whoever sends the "
             "request; elsewhere the request's own address is used"),
    Variable("VIDEO_VENDOR_URL", "video_vendor_url", "`https://` address", None, _http_url,
             "the video vendor's API (docs/VIDEO.md), spoken by the reference adapter; none: meeting steps wait "
             "unbooked and say so; production needs `https://`; `vardflode demo` starts a fake vendor on localhost"),
    Variable("VIDEO_CALLBACK_SECRET", "video_callback_secret", "text", None, _optional,
             "the secret shared with the video vendor: it signs our requests and the vendor's status callbacks "
             "(HMAC-SHA256); required with a vendor, at least 32 characters in production"),
    Variable("SUPPORT_LOGIN_URL", "support_login_url", "`https://` address", "https://www.inera.se/kundservice/",
             _https_url,
             "where a support case about signing in points (R68): the support of the identity service (e-ID, "
             "SITHS, HSA), which handles login problems; set it to the region's or the e-ID provider's support page"),
    Variable("PDL_RETENTION_YEARS", "pdl_retention_years", "years", "5", _whole(5, 100, "years"),
             "the nightly purge run removes a care provider's PDL log entries older than this (at least five "
             "years, HSLF-FS 2016:40 4 kap. 9 §); set it to the care provider's retention decision"),
    Variable("PURGE_BATCH", "purge_batch", "programs", "200", _whole(1, 5000, "programs"),
             "how many ended programs one purge batch removes in one transaction (docs/PURGING.md)"),
)


def _derived_defaults(values: dict) -> dict:
    """The defaults that depend on other values (the environment, the data folder)."""
    production = values["env"] == "production"
    return {
        "database_url": f"sqlite:///{values['data_dir'].resolve() / 'vardflode.sqlite3'}",
        "email_transport": "smtp" if production else "file",
        "sms_transport": "log" if production else "file",
        "pdl_anchor_dir": values["data_dir"] / "pdl-anchor",
        "incident_evidence_dir": values["data_dir"] / "incident-evidence",
    }


def from_environment(environ: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Read every variable from ``environ`` (default ``os.environ``); ``NAME=value`` overrides
    ``VARDFLODE_NAME`` (a value of None counts as not given). Raise SettingsError on a bad value."""
    environ = os.environ if environ is None else environ
    unknown = set(overrides) - {v.name for v in VARIABLES}
    if unknown:
        raise TypeError(f"no such setting: {', '.join(sorted(unknown))}")
    values = {}
    for variable in VARIABLES:
        raw = overrides.get(variable.name)
        if raw is None:
            raw = environ.get(PREFIX + variable.name)
        raw = variable.default if raw is None or str(raw) == "" else str(raw)  # empty counts as unset
        values[variable.field] = None if raw is None else variable.parse(variable.name, raw)
    for field, default in _derived_defaults(values).items():
        if values[field] is None:
            values[field] = default
    if values["video_vendor_url"] and not values["video_callback_secret"]:
        raise SettingsError(f"{PREFIX}VIDEO_CALLBACK_SECRET must be set when {PREFIX}VIDEO_VENDOR_URL is")
    if values["env"] == "production":
        _refuse_what_production_must_not_run_on(values)
    return Settings(**values)


def _refuse_what_production_must_not_run_on(values: dict) -> None:
    """Production fails closed: no default key, no embedded database, no in-process broker, no
    test identities, no movable demo clock. Each is fine on a laptop and wrong with patients' data."""
    if not values["secret_key"]:
        raise SettingsError(f"{PREFIX}SECRET_KEY must be set in production")
    _refuse_a_weak_pdl_key(values)
    if values["database_url"].startswith("sqlite"):
        raise SettingsError(f"{PREFIX}DATABASE_URL must name a PostgreSQL database in production, not SQLite")
    if values["broker_url"] == "stub":
        raise SettingsError(f"{PREFIX}BROKER_URL must name a Redis broker in production, not the in-process stub")
    if values["resident_eid"] == "development":
        raise SettingsError(f"{PREFIX}RESIDENT_EID=development (test identities) is refused in production")
    if values["demo_clock"]:
        raise SettingsError(f"{PREFIX}DEMO_CLOCK=1 (a movable demo clock) is refused in production")
    if not (values["public_url"] or "").startswith("https://"):
        raise SettingsError(f"{PREFIX}PUBLIC_URL must be set to the platform's https:// address in production")
    if values["video_vendor_url"] and not values["video_vendor_url"].startswith("https://"):
        raise SettingsError(f"{PREFIX}VIDEO_VENDOR_URL must be an https:// address in production")
    if values["video_vendor_url"] and len(values["video_callback_secret"] or "") < 32:
        raise SettingsError(f"{PREFIX}VIDEO_CALLBACK_SECRET must be at least 32 characters in production")


PDL_KEY_MIN_LENGTH = 32


def _refuse_a_weak_pdl_key(values: dict) -> None:
    """The PDL key is what an attacker with the database lacks: it must exist, be long enough to
    guess at no better than brute force, and differ from the session key (which more code sees)."""
    key = values["pdl_key"]
    if not key:
        raise SettingsError(f"{PREFIX}PDL_KEY must be set in production")
    if key == values["secret_key"]:
        raise SettingsError(f"{PREFIX}PDL_KEY must not be the same as {PREFIX}SECRET_KEY")
    if len(key) < PDL_KEY_MIN_LENGTH:
        raise SettingsError(f"{PREFIX}PDL_KEY must be at least {PDL_KEY_MIN_LENGTH} characters in production")


def markdown_table() -> str:
    """The table of docs/CONFIGURATION.md: every variable with its type, default and meaning."""
    rows = ["| variable | type | default | meaning |", "|---|---|---|---|"]
    for v in VARIABLES:
        default = f"`{v.default}`" if v.default is not None else "—"
        rows.append(f"| `{PREFIX}{v.name}` | {v.kind} | {default} | {v.meaning} |")
    return "\n".join(rows)
