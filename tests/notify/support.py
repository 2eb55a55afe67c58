"""Test doubles for notifications: recording transports and a tiny real SMTP server."""
from __future__ import annotations

import base64
import socketserver
import threading
import time


class Recording:
    """A transport that records what it was asked to send (optionally slowly, or failing)."""

    def __init__(self, channel: str = "email", fail: Exception | None = None, delay: float = 0.0):
        self.channel, self.fail, self.delay = channel, fail, delay
        self.sent = []
        self._lock = threading.Lock()

    def send(self, message) -> None:
        time.sleep(self.delay)  # widens the window in which a second delivery could slip in
        with self._lock:
            self.sent.append(message)
        if self.fail is not None:
            raise self.fail


def transports(email=None, sms=None) -> dict:
    return {"email": email or Recording("email"), "sms": sms or Recording("sms")}


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Enough of RFC 5321 for smtplib: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self) -> None:
        server = self.server
        self.reply("220 127.0.0.1 test SMTP ready")
        envelope = {"from": None, "to": []}
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-127.0.0.1\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
            elif verb == "HELO" or verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "AUTH":
                _, user, password = base64.b64decode(command.split()[2]).split(b"\0")
                server.logins.append((user.decode(), password.decode()))
                self.reply("235 2.7.0 Authentication successful")
            elif verb == "MAIL":
                envelope = {"from": command[10:].split(">")[0].lstrip("<"), "to": []}
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command[8:].split(">")[0].lstrip("<")
                if server.reject_recipients:  # a real server's refusal echoes the address
                    self.reply(f"550 5.1.1 <{address}>: Recipient address rejected")
                else:
                    envelope["to"].append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                server.received.append({**envelope, "data": b"".join(data)})
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, reject_recipients: bool = False):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.reject_recipients = reject_recipients
        self.received, self.logins = [], []
        self.port = self.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
