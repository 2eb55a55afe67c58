"""How a message leaves the platform. Transports get an ``Outgoing`` (no ORM row) and either
return or raise; the outbox decides about retries, so transports never retry themselves.

Configuration (``transports_from_config``; a key in the app config wins over the environment):

VARDFLODE_EMAIL_TRANSPORT  "file" (default outside production: .eml files under the data dir)
                           or "smtp" (default in production)
VARDFLODE_SMTP_HOST / _PORT (default localhost / 587) / _USERNAME / _PASSWORD
VARDFLODE_SMTP_STARTTLS    "1" (default) or "0"; VARDFLODE_SMTP_TIMEOUT seconds (default 10)
VARDFLODE_MAIL_FROM        From address (default "Vårdflöde <no-reply@vardflode.invalid>")
VARDFLODE_SMS_TRANSPORT    "file" (default outside production: a JSON line per SMS under the
                           data dir) or "log" (default in production, until a provider exists)
"""
from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from typing import Mapping, Protocol

from engine import clock

log = logging.getLogger("vardflode.notify")


@dataclass(frozen=True)
class Outgoing:
    """What a transport sends: our opaque id, the address and the fixed text. Nothing else."""

    id: str
    channel: str
    recipient: str
    subject: str
    body: str


class Transport(Protocol):
    channel: str

    def send(self, message: Outgoing) -> None:
        """Send or raise. Called with the outbox row locked, so keep it bounded in time."""


def build_email(message: Outgoing, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(clock.now().timestamp(), usegmt=True)
    # The outbox id as Message-ID: if a crash makes us send again, mail clients see one message.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "vardflode.invalid"
    email["Message-ID"] = f"<{message.id}@{domain}>"
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to us
    email.set_content(message.body)
    return email


class SmtpTransport:
    channel = "email"

    def __init__(self, host: str, port: int, sender: str, username: str | None = None,
                 password: str | None = None, starttls: bool = True, timeout: float = 10.0):
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password = username, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, message: Outgoing) -> None:
        email = build_email(message, self.sender)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(email)


class FileEmailTransport:
    """The development transport: one .eml file per message, named by outbox id (so a second
    send overwrites instead of duplicating). Open them with any mail client."""

    channel = "email"

    def __init__(self, folder: str | os.PathLike, sender: str):
        self.folder, self.sender = Path(folder), sender

    def send(self, message: Outgoing) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{message.id}.eml").write_bytes(build_email(message, self.sender).as_bytes())


class SmsTransport:
    """The SMS interface. A real provider subclasses this and implements ``send``."""

    channel = "sms"

    def send(self, message: Outgoing) -> None:
        raise NotImplementedError


class FileSmsTransport(SmsTransport):
    """The demo transport: appends one JSON line per SMS to a file."""

    _lock = threading.Lock()  # worker threads share the file; one line must stay one line

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def send(self, message: Outgoing) -> None:
        line = json.dumps({"id": message.id, "to": message.recipient, "body": message.body,
                           "at": clock.now().isoformat()}, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as file:
            file.write(line + "\n")


class LogSmsTransport(SmsTransport):
    """Logs that an SMS would go out. Logs are kept longer and read more widely than the outbox,
    so the number is masked down to its last two digits."""

    def send(self, message: Outgoing) -> None:
        log.info("sms %s to ***%s: %s", message.id, message.recipient[-2:], message.body)


def _setting(config: Mapping, name: str, default: str | None = None) -> str | None:
    value = config.get(name)
    return str(value) if value is not None else os.environ.get(name, default)


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def transports_from_config(config: Mapping) -> dict[str, Transport]:
    """The transport per channel, chosen by configuration (see the module docstring)."""
    production = (config.get("ENV_NAME") or os.environ.get("VARDFLODE_ENV", "development")) == "production"
    data_dir = Path(config.get("DATA_DIR") or os.environ.get("VARDFLODE_DATA_DIR", "instance"))
    sender = _setting(config, "VARDFLODE_MAIL_FROM", "Vårdflöde <no-reply@vardflode.invalid>")

    email_kind = _setting(config, "VARDFLODE_EMAIL_TRANSPORT", "smtp" if production else "file")
    if email_kind == "smtp":
        email: Transport = SmtpTransport(
            host=_setting(config, "VARDFLODE_SMTP_HOST", "localhost"),
            port=int(_setting(config, "VARDFLODE_SMTP_PORT", "587")),
            sender=sender,
            username=_setting(config, "VARDFLODE_SMTP_USERNAME") or None,
            password=_setting(config, "VARDFLODE_SMTP_PASSWORD") or None,
            starttls=_flag(_setting(config, "VARDFLODE_SMTP_STARTTLS", "1")),
            timeout=float(_setting(config, "VARDFLODE_SMTP_TIMEOUT", "10")))
    elif email_kind == "file":
        email = FileEmailTransport(data_dir / "outbox" / "mail", sender)
    else:
        raise ValueError(f"VARDFLODE_EMAIL_TRANSPORT must be 'smtp' or 'file', not {email_kind!r}")

    sms_kind = _setting(config, "VARDFLODE_SMS_TRANSPORT", "log" if production else "file")
    if sms_kind == "file":
        sms: Transport = FileSmsTransport(data_dir / "outbox" / "sms.jsonl")
    elif sms_kind == "log":
        sms = LogSmsTransport()
    else:
        raise ValueError(f"VARDFLODE_SMS_TRANSPORT must be 'file' or 'log', not {sms_kind!r}")
    return {"email": email, "sms": sms}


def for_app(app) -> dict[str, Transport]:
    """The app's transports, built once; tests replace ``app.extensions["vardflode_notify"]``."""
    if "vardflode_notify" not in app.extensions:
        app.extensions["vardflode_notify"] = transports_from_config(app.config)
    return app.extensions["vardflode_notify"]
