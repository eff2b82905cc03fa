"""Every page the browser tests open is checked with axe-core.

A `Checks` object watches one Playwright page: it records each navigation of
the main frame (`framenavigated`: `goto`, links, form posts, redirects,
fragment jumps) and every console error or uncaught script error. `scan(page)`
waits for the page to load, runs axe (WCAG 2.0/2.1 A and AA rules) and fails the
test with a readable list of violations; the navigations recorded so far then
count as checked. `goto(page, url)` is `page.goto` followed by `scan`. The `page`
fixture calls `Checks.problems()` when the test ends and fails it for any
navigation no scan followed, so no page escapes the check.

axe goes in through `page.evaluate` (DevTools' Runtime.evaluate, which the
page's Content-Security-Policy does not govern), so the site's real, strict
CSP stays in force: no `bypass_csp`. A resource or script the CSP refuses shows
up as a console error, and fails the test too.
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE_PATH = Path(__file__).resolve().parents[2] / ".cache/axe/node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_checks = {}  # Page -> Checks, while its test runs


def load_axe():
    """axe.min.js; a missing file fails the test (never a skip)."""
    if not AXE_PATH.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE_PATH}): run `make test-deps` to install it.",
            pytrace=False,
        )
    return AXE_PATH.read_text(encoding="utf-8")


class Checks:
    """What happened on one page: navigations not yet scanned, errors seen."""

    def __init__(self, page, axe_source):
        self.axe_source = axe_source
        self.unscanned = []
        self.errors = []
        self.expected = []  # console errors the test expects (see expect_console_error)
        page.on("framenavigated", self._navigated)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"script error: {error}"))
        _checks[page] = self

    def _navigated(self, frame):
        if frame.parent_frame is None:
            self.unscanned.append(frame.url)

    def _console(self, message):
        if message.type == "error":
            where = message.location.get("url") or "?"
            self.errors.append(f"console error on {where}: {message.text}")

    def problems(self):
        errors = [e for e in self.errors if not any(text in e for text in self.expected)]
        return [f"never scanned by axe: {url}" for url in self.unscanned] + errors

    def forget(self, page):
        _checks.pop(page, None)


def _describe(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(json.dumps(t) for t in node['target'])}")
            summary = (node.get("failureSummary") or "").strip()
            if summary:
                lines.append("       " + summary.replace("\n", "\n       "))
    return "\n".join(lines)


def scan(page: Page):
    """Run axe on the page as it is now; fail the test on any violation."""
    checks = _checks[page]
    page.wait_for_load_state("load")
    # This scan covers every navigation up to the page now loaded.
    checks.unscanned = []
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(checks.axe_source)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    if results["violations"]:
        pytest.fail(
            f"accessibility violations on {page.url}:\n{_describe(results['violations'])}",
            pytrace=False,
        )


def expect_console_error(page: Page, text):
    """A console error holding `text` is what the test means to cause (Chromium
    logs every answer of 503, a page's own included): it fails nothing."""
    _checks[page].expected.append(text)


def goto(page: Page, url):
    """Open `url` (absolute, or relative to the live server) and check it with axe."""
    response = page.goto(url)
    scan(page)
    return response
