"""A fake video vendor on a real localhost port for each test, and the platform bound to it."""
from __future__ import annotations

import socket

import pytest

from video import config
from video.adapter import HttpAdapter
from video.fake_vendor import FakeVendor

SECRET = "s" * 40


@pytest.fixture()
def vendor():
    fake = FakeVendor(SECRET, callback_url=None).start()
    before = (config.adapter(), config.secret())
    config.use(HttpAdapter(fake.url, SECRET, timeout=2), SECRET)
    yield fake
    fake.stop()
    config.use(*before) if before[0] is not None else config.use(None, before[1] or "")


def closed_port_url() -> str:
    """An address on this machine where nothing listens: a vendor that is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
