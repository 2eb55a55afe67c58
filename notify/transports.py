"""How a message leaves the platform. Transports get an ``Outgoing`` (no ORM row) and either
return or raise; the outbox decides about retries, so transports never retry themselves.

``transports_from_config(settings)`` chooses them from the platform's settings (``settings``
package; the variables ``VARDFLODE_EMAIL_TRANSPORT``, ``VARDFLODE_SMTP_*``, ``VARDFLODE_MAIL_FROM``
and ``VARDFLODE_SMS_TRANSPORT`` are described in docs/CONFIGURATION.md): e-mail by SMTP or as
.eml files under the data folder, SMS as JSON lines under the data folder or to the log.
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
from typing import Protocol

from engine import clock
from settings import Settings

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


def transports_from_config(settings: Settings) -> dict[str, Transport]:
    """The transport per channel, chosen by the settings (see the module docstring)."""
    if settings.email_transport == "smtp":
        email: Transport = SmtpTransport(
            host=settings.smtp_host, port=settings.smtp_port, sender=settings.mail_from,
            username=settings.smtp_username, password=settings.smtp_password,
            starttls=settings.smtp_starttls, timeout=settings.smtp_timeout)
    elif settings.email_transport == "file":
        email = FileEmailTransport(settings.data_dir / "outbox" / "mail", settings.mail_from)
    else:
        raise ValueError(f"VARDFLODE_EMAIL_TRANSPORT must be 'smtp' or 'file', not {settings.email_transport!r}")
    if settings.sms_transport == "file":
        sms: Transport = FileSmsTransport(settings.data_dir / "outbox" / "sms.jsonl")
    elif settings.sms_transport == "log":
        sms = LogSmsTransport()
    else:
        raise ValueError(f"VARDFLODE_SMS_TRANSPORT must be 'file' or 'log', not {settings.sms_transport!r}")
    return {"email": email, "sms": sms}
