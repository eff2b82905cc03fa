"""Browser tests: the real site in Debian's Chromium, every page checked with axe.

* `live_server` serves this test's application (the `app` fixture, on this
  test's own database) with Werkzeug on 127.0.0.1, on a port the system picks,
  in a daemon thread; it yields the base URL (also the app's PUBLIC_URL, the
  address its PDFs print) and stops the server afterwards.
* `browser` is one headless Chromium for the whole session: Debian's
  /usr/bin/chromium, never a build downloaded by `playwright install`.
* `page` is a page in a new browser context for each test (fresh cookies),
  with French Canadian as the browser's language and the live server as base
  URL, so tests write `goto(page, "/fr/login")`.
* Accessibility (see `a11y.py`): the tests open pages with `a11y.goto` and,
  after a click or a submit, call `a11y.scan`; every page is run through
  axe-core, and when the test ends `page` fails it if a navigation was never
  scanned, or if the browser logged an error (e.g. a CSP refusal).
"""

import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.browser import a11y

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000

_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


def _closing(app):
    """`app`, with every response body closed even when the browser hangs up.

    Werkzeug's server closes a response body only after it has drained the
    request socket; when Chromium resets the connection (a navigation that
    abandons a favicon, say) that read raises first and the open static file
    is left to the garbage collector, a ResourceWarning that fails the test.
    A generator's `finally` runs however it ends, collected or exhausted.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            yield from body
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@pytest.fixture
def live_server(app):
    """This test's application at http://127.0.0.1:<free port>, while it runs."""
    server = make_server("127.0.0.1", 0, _closing(app), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    # The site's public address, printed on the PDFs it builds (QR codes).
    app.config["PUBLIC_URL"] = base
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def axe_source():
    return a11y.load_axe()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _checked_page(axe_source, browser, live_server, request):
    context = browser.new_context(base_url=live_server, locale="fr-CA")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    checks = a11y.Checks(page, axe_source)
    try:
        yield page
    finally:
        context.close()
        checks.forget(page)
    if request.node.stash.get(_CALL_FAILED, True):
        return  # the test's own failure says enough
    if problems := checks.problems():
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(axe_source, browser, live_server, request):
    yield from _checked_page(axe_source, browser, live_server, request)


@pytest.fixture
def second_page(axe_source, browser, live_server, request):
    """Another person's browser (its own cookies), checked like `page`."""
    yield from _checked_page(axe_source, browser, live_server, request)
