"""Transports: a real SMTP exchange on 127.0.0.1, the demo file transports, and configuration."""
from __future__ import annotations

import email
import email.policy
import json
import logging

import pytest

from engine.db import db
from notify import outbox, transports
from settings import from_environment
from tasks import config as tasks_config
from notify.models import OutboxMessage
from notify.transports import (FileEmailTransport, FileSmsTransport, LogSmsTransport, Outgoing, SmtpTransport,
                               transports_from_config)
from tests.notify.support import SmtpServer


def smtp_config(port, **extra):
    """Settings for the SMTP transport alone, whatever the environment says."""
    return from_environment(environ={}, EMAIL_TRANSPORT="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=port,
                            SMTP_STARTTLS="0", MAIL_FROM="Vårdflöde <no-reply@vardflode.example>", **extra)


def test_an_email_goes_through_a_real_smtp_exchange(ctx, tmp_path):
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1", "sv")
    db.session.commit()
    with SmtpServer() as server:
        config = smtp_config(server.port, SMTP_USERNAME="vardflode", SMTP_PASSWORD="hemligt",
                             DATA_DIR=str(tmp_path))
        assert outbox.deliver(message_id, transports_from_config(config)) == "sent"
        db.session.commit()
    assert server.logins == [("vardflode", "hemligt")]
    [received] = server.received
    assert (received["from"], received["to"]) == ("no-reply@vardflode.example", ["anna@example.se"])
    mail = email.message_from_bytes(received["data"], policy=email.policy.default)
    assert mail["Subject"] == "Nytt meddelande i Vårdflöde"
    assert mail["Message-ID"] == f"<{message_id}@vardflode.example>"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_content().startswith("Du har ett nytt meddelande i Vårdflöde. Logga in för att läsa det.")
    assert db.session.get(OutboxMessage, message_id).status == "sent"


def test_a_refused_recipient_is_recorded_without_the_address(ctx, tmp_path):
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    db.session.commit()
    with SmtpServer(reject_recipients=True) as server:
        outcome = outbox.deliver(message_id, transports_from_config(smtp_config(server.port, DATA_DIR=str(tmp_path))))
        db.session.commit()
    row = db.session.get(OutboxMessage, message_id)
    assert (outcome, row.status, row.attempts) == ("retry", "pending", 1)
    assert row.last_error == "SMTPRecipientsRefused" and "anna" not in row.last_error


def test_an_unreachable_smtp_server_is_a_retry(ctx, tmp_path):
    with SmtpServer() as server:
        port = server.port  # closed again below, so nothing listens there
    [message_id] = outbox.enqueue("email", "anna@example.se", "new_message", "new_message:m1")
    db.session.commit()
    assert outbox.deliver(message_id, transports_from_config(smtp_config(port, DATA_DIR=str(tmp_path)))) == "retry"
    db.session.commit()
    assert db.session.get(OutboxMessage, message_id).last_error == "ConnectionRefusedError"


def sms(n: int) -> Outgoing:
    return Outgoing(f"id{n}", "sms", f"+4670123456{n}", "", "Du har ett nytt meddelande i Vårdflöde.")


def test_the_file_sms_transport_writes_one_json_line_per_message(tmp_path):
    path = tmp_path / "outbox" / "sms.jsonl"
    transport = FileSmsTransport(path)
    for n in range(3):
        transport.send(sms(n))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["to"] for line in lines] == ["+46701234560", "+46701234561", "+46701234562"]
    assert json.loads(lines[0])["body"] == "Du har ett nytt meddelande i Vårdflöde."


def test_the_file_email_transport_writes_one_eml_per_message(tmp_path):
    message = Outgoing("abc123", "email", "anna@example.se", "Nytt meddelande i Vårdflöde", "Hej.\n")
    FileEmailTransport(tmp_path, "no-reply@vardflode.example").send(message)
    FileEmailTransport(tmp_path, "no-reply@vardflode.example").send(message)  # overwrites, no duplicate
    [path] = tmp_path.iterdir()
    mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert (path.name, mail["To"], mail["Subject"]) == ("abc123.eml", "anna@example.se", "Nytt meddelande i Vårdflöde")


def test_the_log_sms_transport_masks_the_number(caplog, monkeypatch):
    # Alembic's fileConfig() in an in-process upgrade disables loggers that already exist.
    monkeypatch.setattr(transports.log, "disabled", False)
    with caplog.at_level(logging.INFO, logger="vardflode.notify"):
        LogSmsTransport().send(sms(7))
    assert "***67" in caplog.text and "+46701234567" not in caplog.text


def test_configuration_chooses_the_transports(tmp_path, monkeypatch):
    for name in ("VARDFLODE_EMAIL_TRANSPORT", "VARDFLODE_SMS_TRANSPORT", "VARDFLODE_ENV"):
        monkeypatch.delenv(name, raising=False)
    development = transports_from_config(from_environment(DATA_DIR=str(tmp_path), ENV="development"))
    assert isinstance(development["email"], FileEmailTransport)
    assert development["email"].folder == tmp_path / "outbox" / "mail"
    assert isinstance(development["sms"], FileSmsTransport)
    production = transports_from_config(from_environment(
        DATA_DIR=str(tmp_path), ENV="production", SECRET_KEY="x", PDL_KEY="p" * 32, DATABASE_URL="postgresql://v@db/v",
        BROKER_URL="redis://redis:6379/0", RESIDENT_EID="bankid", PUBLIC_URL="https://vardflode.region.se"))
    assert isinstance(production["email"], SmtpTransport) and production["email"].starttls
    assert isinstance(production["sms"], LogSmsTransport)
    monkeypatch.setenv("VARDFLODE_SMS_TRANSPORT", "log")
    monkeypatch.setenv("VARDFLODE_SMTP_PORT", "2525")
    chosen = transports_from_config(from_environment(DATA_DIR=str(tmp_path), EMAIL_TRANSPORT="smtp"))
    assert isinstance(chosen["sms"], LogSmsTransport) and chosen["email"].port == 2525
    with pytest.raises(ValueError):
        transports_from_config(from_environment(DATA_DIR=str(tmp_path), EMAIL_TRANSPORT="pigeon"))
    with pytest.raises(ValueError):
        transports_from_config(from_environment(DATA_DIR=str(tmp_path), SMS_TRANSPORT="smtp"))


def test_the_bound_transports_are_built_once(app):
    assert tasks_config.transports() is tasks_config.transports()
