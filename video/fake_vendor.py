"""A small video vendor on localhost, for the tests and the demo (``vardflode demo`` starts one).

It speaks the reference adapter's contract (adapter.py) over real HTTP, checks that every request
is signed with the shared secret, and refuses any field beyond ids and times, so a test against it
shows that nothing else leaves the platform. ``emit`` sends a signed status callback to the
platform, as a real vendor does when a meeting starts or ends. It holds nothing on disk.

    vendor = FakeVendor(secret, callback_url="http://127.0.0.1:5000/video/status").start()
    vendor.url  # http://127.0.0.1:<port>
    vendor.stop()
"""
from __future__ import annotations

import json
import threading
import time
import urllib.request
import uuid
from datetime import datetime, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from video import signing

# The only fields a request may carry: ids and times.
ALLOWED_FIELDS = {"/meetings": {"ref", "starts_at", "ends_at"}, "links": {"role", "participant"}}


class FakeVendor:
    def __init__(self, secret: str, callback_url: str | None = None, host: str = "127.0.0.1", port: int = 0):
        self.secret, self.callback_url = secret, callback_url
        self.meetings: dict[str, dict] = {}
        self.requests: list[tuple[str, str, dict]] = []  # (method, path, body) of every accepted request
        self.callbacks: list[tuple[int, dict]] = []  # (platform's status code, body) of every callback sent
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), _handler(self))
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeVendor":
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-video-vendor", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def create(self, body: dict) -> dict:
        with self.lock:
            for meeting in self.meetings.values():
                if meeting["ref"] == body["ref"]:  # the contract: the same ref is the same meeting
                    return meeting
            meeting = {"id": "m-" + uuid.uuid4().hex[:16], "ref": body["ref"], "starts_at": body["starts_at"],
                       "ends_at": body["ends_at"], "status": "booked"}
            self.meetings[meeting["id"]] = meeting
            return meeting

    def emit(self, vendor_meeting_id: str, event: str, *, secret: str | None = None) -> int:
        """POST a signed status callback to the platform; returns its status code. ``secret``
        other than ours makes a forged callback, for the tests."""
        meeting = self.meetings[vendor_meeting_id]
        body = json.dumps({"meeting": vendor_meeting_id, "ref": meeting["ref"], "event": event,
                           "at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}).encode()
        request = urllib.request.Request(self.callback_url, data=body, method="POST")
        request.add_header("Content-Type", "application/json")
        for name, value in signing.headers(secret or self.secret, int(time.time()), body).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - localhost
                status = response.status
        except urllib.error.HTTPError as err:
            status = err.code
        self.callbacks.append((status, json.loads(body)))
        return status


def _handler(vendor: FakeVendor):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet in tests and the demo
            return

        def _answer(self, status: int, payload=None, html: str | None = None):
            data = b"" if status == 204 else (html or json.dumps(payload or {})).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8" if html else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> tuple[bytes, dict] | None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not signing.verify(vendor.secret, self.headers.get(signing.TIMESTAMP_HEADER),
                                  self.headers.get(signing.SIGNATURE_HEADER), raw, time.time()):
                self._answer(401, {"error": "unsigned"})
                return None
            try:
                return raw, (json.loads(raw) if raw else {})
            except ValueError:
                self._answer(400, {"error": "not json"})
                return None

        def _only(self, body: dict, allowed: set) -> bool:
            if not isinstance(body, dict) or set(body) - allowed or not all(isinstance(v, str) for v in body.values()):
                self._answer(400, {"error": "only ids and times are accepted"})
                return False
            return True

        def do_POST(self):
            parts = self.path.strip("/").split("/")
            got = self._body()
            if got is None:
                return
            _, body = got
            if parts == ["meetings"]:
                if not self._only(body, ALLOWED_FIELDS["/meetings"]) or set(body) != ALLOWED_FIELDS["/meetings"]:
                    return
                vendor.requests.append(("POST", self.path, body))
                return self._answer(201, vendor.create(body))
            if len(parts) == 3 and parts[0] == "meetings" and parts[2] == "links":
                meeting = vendor.meetings.get(parts[1])
                if meeting is None or meeting["status"] == "cancelled":
                    return self._answer(404, {"error": "no such meeting"})
                if not self._only(body, ALLOWED_FIELDS["links"]) or body.get("role") not in ("resident", "clinician"):
                    return
                vendor.requests.append(("POST", self.path, body))
                token = uuid.uuid4().hex
                return self._answer(200, {"url": f"{vendor.url}/join/{meeting['id']}?role={body['role']}&t={token}"})
            return self._answer(404, {"error": "not found"})

        def do_DELETE(self):
            parts = self.path.strip("/").split("/")
            if self._body() is None:
                return
            if len(parts) == 2 and parts[0] == "meetings" and parts[1] in vendor.meetings:
                vendor.requests.append(("DELETE", self.path, {}))
                vendor.meetings[parts[1]]["status"] = "cancelled"
                return self._answer(204)
            return self._answer(404, {"error": "not found"})

        def do_GET(self):
            parts = self.path.split("?", 1)[0].strip("/").split("/")
            if len(parts) == 2 and parts[0] == "join" and parts[1] in vendor.meetings:
                meeting = vendor.meetings[parts[1]]
                if vendor.callback_url and meeting["status"] == "booked":  # the first to join starts it
                    meeting["status"] = "started"
                    threading.Thread(target=vendor.emit, args=(parts[1], "started"), daemon=True).start()
                return self._answer(200, html="<!doctype html><html lang=\"en\"><title>Video room</title>"
                                    f"<h1>Video room {escape(parts[1])}</h1><p>The fake vendor's meeting room.</p></html>")
            return self._answer(404, {"error": "not found"})

    return Handler
