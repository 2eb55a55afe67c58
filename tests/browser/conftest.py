"""Browser tests: the real app on a live server, driven by Debian Chromium through Playwright's
sync API (ECOSYSTEM.md §3). One browser for the whole session, a fresh context (own cookies)
per page. Never run ``playwright install``: CI installs Debian's chromium (.ci/run)."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.web.apps import app_with_failures

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MISSING = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run browser tests"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(scope="session")
def live_server(app):
    """Serve the shared test app on a free port; /_test/… goes to its twin that fails on purpose."""
    failing = app_with_failures(app)

    def dispatch(environ, start_response):
        target = failing if environ.get("PATH_INFO", "").startswith("/_test/") else app
        return target(environ, start_response)

    yield from serve(dispatch)


def serve(wsgi_app):
    """Serve ``wsgi_app`` on a free port in a daemon thread; yield its base URL, then stop it."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def open_page(chromium, live_server, ctx):
    """Return ``open(path, locale="sv-SE")``: a new page in a fresh context; fails on CSP violations.

    It takes ``ctx`` so that whatever the pages wrote (security events, say) is emptied afterwards."""
    contexts, blocked = [], []

    def _open(path: str = "/", locale: str = "sv-SE"):
        context = chromium.new_context(base_url=live_server, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda error: blocked.append(f"script error: {error}"))
        page.goto(path)
        return page

    yield _open
    for context in contexts:
        context.close()
    assert blocked == [], "the page broke its own CSP or threw:\n" + "\n".join(blocked)
