"""The reference adapter against the fake vendor over real HTTP on localhost: booking, join
links, cancelling, what is sent (ids and times only), a vendor that is down, and the signatures
of requests and status callbacks."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from video import adapter as contract, signing
from video.adapter import HttpAdapter
from video.fake_vendor import FakeVendor
from tests.video.conftest import SECRET, closed_port_url

START = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


@pytest.fixture()
def fake():
    vendor = FakeVendor(SECRET).start()
    yield vendor
    vendor.stop()


def test_a_meeting_is_booked_with_ids_and_times_only_and_booking_again_is_the_same_meeting(fake):
    adapter = HttpAdapter(fake.url, SECRET)
    vendor_id = adapter.create_meeting("ref1", START, START + timedelta(minutes=45))
    assert fake.meetings[vendor_id]["starts_at"] == "2026-11-25T09:00:00Z"
    assert adapter.create_meeting("ref1", START, START + timedelta(minutes=45)) == vendor_id  # a retry books nothing twice
    assert len(fake.meetings) == 1
    [(method, path, body), _] = fake.requests
    assert (method, path, set(body)) == ("POST", "/meetings", {"ref", "starts_at", "ends_at"})


def test_join_links_are_personal_and_cancelling_ends_them(fake):
    adapter = HttpAdapter(fake.url, SECRET)
    vendor_id = adapter.create_meeting("ref2", START, START + timedelta(minutes=30))
    resident = adapter.join_link(vendor_id, "resident", "p1")
    clinician = adapter.join_link(vendor_id, "clinician", "p2")
    assert resident.startswith(fake.url + "/join/" + vendor_id) and "role=resident" in resident
    assert resident != clinician and "role=clinician" in clinician
    adapter.cancel(vendor_id)
    assert fake.meetings[vendor_id]["status"] == "cancelled"
    with pytest.raises(contract.VendorRefused):
        adapter.join_link(vendor_id, "resident", "p1")


def test_the_vendor_refuses_requests_not_signed_with_the_shared_secret(fake):
    with pytest.raises(contract.VendorRefused, match="401"):
        HttpAdapter(fake.url, "another secret").create_meeting("ref3", START, START + timedelta(minutes=30))
    assert fake.meetings == {}


def test_the_vendor_refuses_anything_but_ids_and_times(fake):
    adapter = HttpAdapter(fake.url, SECRET)
    with pytest.raises(contract.VendorRefused, match="400"):
        adapter._call("POST", "/meetings", {"ref": "r", "starts_at": "x", "ends_at": "y", "name": "Anna Andersson"})
    assert fake.meetings == {}


def test_a_vendor_that_is_down_is_unavailable_not_refused():
    with pytest.raises(contract.VendorUnavailable):
        HttpAdapter(closed_port_url(), SECRET, timeout=2).create_meeting("ref4", START, START + timedelta(minutes=30))


def _callback(secret=SECRET, at=None, **changes):
    body = json.dumps({"meeting": "m-1", "ref": "ref5", "event": "started", "at": "2026-11-25T09:01:00Z",
                       **changes}).encode()
    return signing.headers(secret, int(at or time.time()), body), body


def test_a_signed_callback_is_read():
    headers, body = _callback()
    event = contract.parse_callback(SECRET, headers, body)
    assert (event.vendor_meeting_id, event.ref, event.event) == ("m-1", "ref5", "started")
    assert event.at == datetime(2026, 11, 25, 9, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("case", ["forged", "tampered", "old", "unsigned", "unknown event"])
def test_a_callback_that_is_forged_tampered_old_or_unsigned_is_refused(case):
    headers, body = _callback(secret="guessed" if case == "forged" else SECRET,
                              at=time.time() - 3600 if case == "old" else None,
                              **({"event": "exploded"} if case == "unknown event" else {}))
    if case == "tampered":
        body = body.replace(b"started", b"ended!!")
    if case == "unsigned":
        headers = {}
    with pytest.raises(contract.BadCallback):
        contract.parse_callback(SECRET, headers, body)
