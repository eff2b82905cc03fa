"""The pages redesigned for phones, used on a phone 320 px wide (and once on a
computer), every page checked with axe: the staff menu folded into a "Menu"
button (a <details>: no script, the keyboard opens it), each role's first
page, the agenda as cards, a visit and the calendar as lists of days, the
reports with their filters folded above the figures, wide tables scrolling
in their own box with their first column kept."""

import pytest
from playwright.sync_api import expect

from app.security import Role
from tests import reflow_world
from tests.browser.a11y import goto, scan
from tests.browser.test_journeys import by_label, url
from tests.conftest import fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.one_database("sqlite")]

PHONE = {"width": 320, "height": 640}
PAGE_WIDTH = "document.documentElement.scrollWidth"


@pytest.fixture
def app(make_app):
    return make_app(LOGIN_RATE_LIMIT="100 per minute")


@pytest.fixture
def world(app):
    return reflow_world.build(app)


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def sign_in(page, app, account, lang):
    """The sign-in form, and the code when the role needs one; the caller
    scans the page it lands on."""
    goto(page, f"/{lang}/login")
    by_label(page, "email").fill(account.email)
    by_label(page, "password").fill(account.password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if page.url.endswith(f"/{lang}/login/code"):
        scan(page)
        by_label(page, "code").fill(fresh_code(app.extensions["mobilis_engine"], account.email))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()


def fits(page):
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"], page.url


# The staff menu, folded, is one row: the button and "Sign out" (it was 260 px).
FOLDED_MENU_HEIGHT = 64


def open_menu(page):
    """The "Menu" button, with the keyboard: the pages are hidden until then."""
    assert page.locator("nav.staff-nav").bounding_box()["height"] <= FOLDED_MENU_HEIGHT
    menu = page.locator("nav.staff-nav details.staff-menu")
    expect(menu.locator("ul")).to_be_hidden()
    expect(page.locator("nav.staff-nav .staff-links")).to_be_hidden()
    summary = menu.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    return menu


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_prevention_worker_on_a_phone(phone, live_server, app, world, lang):
    page = phone
    sign_in(page, app, world.accounts[Role.PREVENTION_WORKER], lang)
    # This week's work: first what was given and is not recorded yet.
    expect(page).to_have_url(url(live_server, f"/{lang}/agenda/"))
    scan(page)
    fits(page)
    to_record = page.locator("section.to-record")
    expect(to_record.locator(f'a[href^="/{lang}/visits/"][href$="/deliver"]').first).to_be_visible()
    # The week's sessions as cards: each value under its column's name.
    card = page.locator("#week-heading ~ .table-wrap tr").nth(1)
    expect(card).to_be_visible()
    assert card.evaluate("el => getComputedStyle(el).display") == "block"

    # The menu: one button; opened with the keyboard, the pages one under the other.
    menu = open_menu(page)
    visits = menu.locator(f'a[href="/{lang}/visits/"]')
    expect(visits).to_be_visible()
    visits.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url(live_server, f"/{lang}/visits/"))
    scan(page)
    fits(page)
    expect(page.locator("details.staff-menu")).not_to_have_attribute("open", "")

    # A visit: its days one under the other, not the wide grid.
    visit = page.locator(f'main a[href^="/{lang}/visits/"][href$="/"]').first
    goto(page, visit.get_attribute("href"))
    expect(page.locator(".visit-days")).to_be_visible()
    expect(page.locator("table.visit-grid")).to_be_hidden()
    expect(page.locator(".visit-days li .session").first).to_be_visible()
    fits(page)

    # The calendar: this month's days that have something, as a list.
    goto(page, f"/{lang}/calendar/")
    expect(page.locator("table.month")).to_be_hidden()
    days = page.locator(".month-list > ol > li")
    expect(days.first).to_be_visible()
    expect(page.locator(".month-list .month-campaigns")).to_be_visible()
    fits(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_coordinator_on_a_phone(phone, live_server, app, world, lang):
    page = phone
    sign_in(page, app, world.accounts[Role.COORDINATOR], lang)
    # The requests waiting, then the figures.
    expect(page).to_have_url(url(live_server, f"/{lang}/coordination/"))
    scan(page)
    fits(page)
    expect(page.locator(f'#waiting-heading ~ ul a[href^="/{lang}/requests/"]')).to_have_count(2)
    expect(page.locator("#figures-heading ~ .table-wrap table")).to_be_visible()

    # The reports: the figures first, the filters folded above them.
    menu = open_menu(page)
    menu.locator(f'a[href="/{lang}/reports/"]').click()
    expect(page).to_have_url(url(live_server, f"/{lang}/reports/"))
    scan(page)
    fits(page)
    filters = page.locator("details.report-filters")
    expect(page.locator("#grade")).to_be_hidden()
    expect(page.locator("#summary-caption")).to_be_in_viewport(ratio=0.1)
    filters.locator("summary").click()
    expect(by_label(filters, "grade")).to_be_visible()
    scan(page)
    fits(page)

    # A wide table scrolls in its own box, its first column kept in view.
    goto(page, f"/{lang}/requests/")
    box = page.locator("main .table-wrap").first
    assert box.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    first = box.locator("tbody tr td").first
    assert first.evaluate("el => getComputedStyle(el).position") == "sticky"
    fits(page)


def test_the_youth_worker_and_the_admin_land_on_their_work(phone, live_server, app, world):
    page = phone
    sign_in(page, app, world.accounts[Role.YOUTH_WORKER], "fr")
    expect(page).to_have_url(url(live_server, "/fr/inbox/"))
    scan(page)
    fits(page)
    expect(page.locator(".inbox-item.inbox-urgent").first).to_be_visible()
    page.locator(".inbox-item a").first.click()
    scan(page)
    fits(page)  # a question with a link pasted whole still fits

    page.context.clear_cookies()
    sign_in(page, app, world.accounts[Role.ADMIN], "en")
    expect(page).to_have_url(url(live_server, "/en/admin/users/"))
    scan(page)
    fits(page)
    # "My account" stays in the menu.
    menu = open_menu(page)
    menu.locator('a[href="/en/account/"]').click()
    expect(page).to_have_url(url(live_server, "/en/account/"))
    scan(page)
    fits(page)


def test_on_a_computer_the_menu_is_a_row_and_the_calendar_a_month(page, live_server, app, world):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, app, world.accounts[Role.POLICE_OFFICER], "en")
    # A police officer's work: the coming presentations.
    expect(page).to_have_url(url(live_server, "/en/presentations/"))
    scan(page)
    expect(page.locator("nav.staff-nav details.staff-menu")).to_be_hidden()
    row = page.locator("nav.staff-nav .staff-links")
    expect(row.locator('a[href="/en/agenda/"]')).to_be_visible()
    goto(page, "/en/calendar/")
    expect(page.locator("table.month")).to_be_visible()
    expect(page.locator(".month-list")).to_be_hidden()
