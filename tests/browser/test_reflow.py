"""Every page fits a phone 320 px wide (WCAG 2.1 § 1.4.10, Reflow).

A visitor and each staff role, in French and in English, each in a browser
of their own 320 px wide, open their landing page and follow every link
they can reach on this site, breadth first and bounded; a page whose
document is wider than the screen (`scrollWidth` over 320) is listed with
what sticks out. Wide tables may scroll inside their own box: that is not
the page's width. The site is full first (`tests/reflow_world.py`: the demo
and this week's work), so that lists, the agenda, the inbox, the calendar
and the reports have rows.

Followed: links of this site in the crawl's language. Not followed: files
(PDF, CSV, XLSX, ICS, images, `download` links), the API and feeds; sign
out is a form, never a link. Links to a confirmation page (cancel, delete,
revoke, close) are followed: in this app a GET only shows, every change is
a POST, and the crawl submits no form. axe does not run here (it would
take minutes); the pages redesigned for phones are scanned in
`test_phone_pages.py`.
"""

import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest

from app.security import Role
from tests import reflow_world
from tests.browser.conftest import TIMEOUT_MS
from tests.conftest import fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.one_database("postgres")]

WIDTH = 320
PHONE = {"width": WIDTH, "height": 640}
LANGS = ("fr", "en")
ROLES = (
    None,  # a visitor: a student, a teacher
    Role.PREVENTION_WORKER,
    Role.POLICE_OFFICER,
    Role.YOUTH_WORKER,
    Role.COORDINATOR,
    Role.ADMIN,
)
# Pages per role and language, and pages of one kind: one path with other
# query strings (pagination, months, filters), or other numbers in the path
# (/visits/3/, /visits/4/): enough to see every kind of page, bounded
# however much data there is.
MAX_PAGES = 90
MAX_OF_A_KIND = 2
NUMBER = re.compile(r"/\d+(?=/|$)")
FILES = (".pdf", ".csv", ".xlsx", ".ics", ".png", ".svg", ".json", ".yaml", ".zip")

# What sticks out: the deepest elements wider than the screen that no
# scrolling box of their own holds.
OVERFLOWING = """width => {
  const held = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  const out = [...document.body.querySelectorAll('*')].filter(
    el => el.getBoundingClientRect().right > width + 0.5 && !held(el));
  return out.filter(el => !out.some(o => o !== el && el.contains(o))).slice(0, 3).map(el =>
    el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.textContent || '').trim().slice(0, 40) + '"');
}"""


@pytest.fixture
def app(make_app):
    # Ten sign-ins from one address within the minute.
    return make_app(LOGIN_RATE_LIMIT="100 per minute")


@pytest.fixture
def world(app):
    return reflow_world.build(app)


def sign_in(page, app, account, lang):
    """The sign-in form, then the code when the role needs one."""
    page.goto(f"/{lang}/login")
    page.fill("#email", account.email)
    page.fill("#password", account.password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if urlsplit(page.url).path == f"/{lang}/login/code":
        page.fill("#code", fresh_code(app.extensions["mobilis_engine"], account.email))
        with page.expect_navigation():
            page.click("main form button[type=submit]")
    assert "/login" not in page.url, f"{account.email} could not sign in"


def followed(href, base, lang):
    """The link's address without its fragment when the crawl follows it, else None."""
    parts = urlsplit(href)
    if f"{parts.scheme}://{parts.netloc}" != base or not parts.path.startswith(f"/{lang}/"):
        return None
    if parts.path.endswith(FILES) or "/login" in parts.path:
        return None
    return parts._replace(fragment="").geturl()


def crawl(page, base, lang, starts, known=frozenset()):
    """([(url, width, what sticks out)] of the pages wider than the screen,
    [the pages opened]); `known` pages are not opened again."""
    queue = deque(starts)
    seen = set(starts) | set(known)
    variants = Counter()
    too_wide = []
    opened = []
    while queue and len(opened) < MAX_PAGES:
        address = queue.popleft()
        response = page.goto(address)
        opened.append(address)
        assert response is not None and response.status < 500, f"{address}: {response.status}"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            too_wide.append((page.url, width, page.evaluate(OVERFLOWING, WIDTH)))
        links = page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.href)"
        )
        for href in links:
            target = followed(href, base, lang)
            if target is None or target in seen:
                continue
            kind = NUMBER.sub("/#", urlsplit(target).path)
            if variants[kind] >= MAX_OF_A_KIND:
                continue
            variants[kind] += 1
            seen.add(target)
            queue.append(target)
    return too_wide, opened


def known_pages(opened, role, lang, base):
    """What another crawl opened that this one need not open again: the
    visitor's pages are the same for staff but for the menu (checked on every
    staff page); an admin sees a coordinator's pages as a coordinator does
    (everything a coordinator does, plus the accounts), but for their own
    account page."""
    known = set(opened[(None, lang)])
    if role == Role.ADMIN:
        known |= set(opened[(Role.COORDINATOR, lang)]) - {f"{base}/{lang}/account/"}
    return known


def test_every_page_fits_a_phone_320_px_wide(browser, live_server, app, world):
    problems = []
    counted = 0
    opened_by = {}  # (role, lang) -> the pages that crawl opened
    for role in ROLES:
        for lang in LANGS:
            context = browser.new_context(base_url=live_server, viewport=PHONE, locale="fr-CA")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            if role is None:
                share = world.share_path.replace("/fr/", f"/{lang}/", 1)
                starts = [f"{live_server}/{lang}/", live_server + share]
                too_wide, opened = crawl(page, live_server, lang, starts)
            else:
                sign_in(page, app, world.accounts[role], lang)
                known = known_pages(opened_by, role, lang, live_server)
                too_wide, opened = crawl(page, live_server, lang, [page.url], known)
            opened_by[(role, lang)] = opened
            context.close()
            counted += len(opened)
            who = role.value if role else "visitor"
            problems += [
                f"{who} {url}: {width} px; {', '.join(what)}" for url, width, what in too_wide
            ]
    assert counted > 200, f"only {counted} pages opened: the crawl lost its way"
    assert not problems, f"{len(problems)} of {counted} pages are wider than {WIDTH} px:\n" + (
        "\n".join(problems)
    )
