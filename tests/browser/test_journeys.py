"""What people do on the site, in a real browser; every page is checked with axe.

Assertions rest on URLs, roles, ids and `lang` attributes rather than on the
wording, which is French or English depending on whether the catalogs are
compiled.
"""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import object_session

from app.accounts import services as accounts
from app.security import Role
from tests.browser.a11y import goto, scan
from tests.conftest import PASSWORD, fresh_code

pytestmark = pytest.mark.browser

SIGN_OUT = 'form[action$="/logout"] button'


def url(live_server, path):
    return re.compile(re.escape(live_server + path) + r"(\?.*)?$")


def by_label(scope, field_id):
    """The control named by the label of `field_id`, found through that label.

    The wording is read from the page (French or English), then looked up the
    way a screen reader user would: proof that label and control are tied.
    """
    text = scope.locator(f'label[for="{field_id}"]').inner_text().strip()
    assert text, f"the label of #{field_id} is empty"
    control = scope.get_by_label(text, exact=True)
    expect(control).to_have_attribute("id", field_id)
    return control


def sign_in(page, user, password=PASSWORD, lang="fr"):
    """Open the sign-in page and send it, then the two-factor code when it is
    asked (youth workers and admins); the caller scans the page it lands on."""
    goto(page, f"/{lang}/login")
    by_label(page, "email").fill(user.email)
    by_label(page, "password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if page.url.split("?")[0].endswith(f"/{lang}/login/code"):
        scan(page)
        engine = object_session(user).get_bind()
        by_label(page, "code").fill(fresh_code(engine, user.email))
        page.locator("main form button[type=submit]").click()


def test_switch_language(page, live_server):
    goto(page, "/")  # the browser asks for French first
    expect(page).to_have_url(url(live_server, "/fr/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.locator("nav.lang-switch").get_by_role("link", name="English").click()
    expect(page).to_have_url(url(live_server, "/en/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    scan(page)

    goto(page, "/fr/login")
    page.locator("nav.lang-switch").get_by_role("link", name="English").click()
    expect(page).to_have_url(url(live_server, "/en/login"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    scan(page)

    page.locator("nav.lang-switch").get_by_role("link", name="Français").click()
    expect(page).to_have_url(url(live_server, "/fr/login"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    scan(page)


def test_sign_in_and_out(page, live_server, create_user):
    user = create_user(name="Léa Tremblay")
    sign_in(page, user)
    expect(page).to_have_url(url(live_server, "/fr/agenda/"))  # a prevention worker's work
    expect(page.locator("nav.staff-nav")).to_be_visible()
    scan(page)
    page.locator('nav.staff-nav a[href="/fr/account/"]:visible').click()
    expect(page.locator("main")).to_contain_text("Léa Tremblay")
    scan(page)

    page.locator(SIGN_OUT).click()
    expect(page).to_have_url(url(live_server, "/fr/"))
    expect(page.locator("nav.staff-nav")).to_have_count(0)
    expect(page.get_by_role("status")).to_be_visible()  # "You are signed out."
    scan(page)

    # Signed out for real: the account page sends back to the sign-in form.
    goto(page, "/fr/account/")
    expect(page).to_have_url(url(live_server, "/fr/login"))


def test_wrong_password_shows_an_error(page, live_server, create_user):
    user = create_user()
    sign_in(page, user, password="not the password at all")
    expect(page).to_have_url(url(live_server, "/fr/login"))
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("nav.staff-nav")).to_have_count(0)
    scan(page)

    goto(page, "/fr/account/")
    expect(page).to_have_url(url(live_server, "/fr/login"))


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server):
    goto(page, "/fr/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#main")
    expect(skip).to_be_in_viewport()  # shown when focused

    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    expect(page).to_have_url(url(live_server, "/fr/#main"))
    scan(page)


def test_admin_creates_a_user(page, live_server, db, create_user, create_partner):
    admin = create_user(Role.ADMIN)
    partner = create_partner()
    sign_in(page, admin)
    expect(page).to_have_url(url(live_server, "/fr/admin/users/"))  # an admin's work
    scan(page)

    page.locator('main a[href$="/admin/users/new"]').click()
    expect(page).to_have_url(url(live_server, "/fr/admin/users/new"))
    scan(page)

    form = page.locator("main form")
    by_label(form, "name").fill("Samuel Gagnon")
    by_label(form, "email").fill("samuel.gagnon@example.org")
    by_label(form, "role").select_option(Role.POLICE_OFFICER.value)
    by_label(form, "partner").select_option(str(partner.id))
    by_label(form, "password").fill("a long enough initial password")
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(url(live_server, "/fr/admin/users/"))
    expect(page.get_by_role("status")).to_contain_text("Samuel Gagnon")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Samuel Gagnon"))
    expect(row).to_contain_text("samuel.gagnon@example.org")
    expect(row).to_contain_text(partner.name)
    scan(page)

    created = accounts.get_user_by_email(db, "samuel.gagnon@example.org")
    assert (created.role, created.partner_id) == (Role.POLICE_OFFICER, partner.id)
    assert created.must_change_password
