"""Setting up and using two-factor sign-in in a real browser, checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from app.accounts import two_factor
from app.security import Role
from tests.browser.a11y import goto, scan
from tests.browser.test_journeys import by_label, url
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_youth_worker_sets_up_two_factor_then_signs_in(page, live_server, create_user, lang):
    worker = create_user(Role.YOUTH_WORKER, name="Karim Benali", totp_secret=None)
    goto(page, f"/{lang}/login")
    by_label(page, "email").fill(worker.email)
    by_label(page, "password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url(live_server, f"/{lang}/login/set-up-code"))
    scan(page)

    qr = page.locator("main img[src^='data:image/svg+xml']")
    expect(qr).to_have_attribute("alt", re.compile(r"\S"))
    secret = page.locator("main code").inner_text().replace(" ", "")
    code = by_label(page, "code")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("inputmode", "numeric")
    code.fill(two_factor.code_at(secret, two_factor.current_step()))
    code.press("Enter")  # the keyboard is enough
    expect(page).to_have_url(url(live_server, f"/{lang}/inbox/"))  # a youth worker's work
    scan(page)
    page.locator(f'nav.staff-nav a[href="/{lang}/account/"]:visible').click()
    expect(page.locator("main")).to_contain_text("Karim Benali")
    scan(page)
