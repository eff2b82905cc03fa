"""An admin limits a coordinator to two regions, by keyboard and by label, in
each language; every page passes axe."""

import pytest
from playwright.sync_api import expect

from app.security import Role
from tests.browser.a11y import scan
from tests.browser.test_journeys import sign_in, url

pytestmark = pytest.mark.browser

WORDS = {
    "fr": {"regions": "Régions", "save": "Enregistrer les régions"},
    "en": {"regions": "Regions", "save": "Save the regions"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_admin_limits_a_coordinator_to_regions(page, live_server, create_user, lang):
    coordinator = create_user(Role.COORDINATOR, name="Nadia Coordonnatrice")
    sign_in(page, create_user(Role.ADMIN), lang=lang)
    scan(page)
    page.goto(f"{live_server}/{lang}/admin/users/")
    scan(page)
    page.get_by_role("link", name=f"{WORDS['en']['regions']} ({coordinator.name})").or_(
        page.get_by_role("link", name=f"{WORDS['fr']['regions']} ({coordinator.name})")
    ).click()
    expect(page).to_have_url(url(live_server, f"/{lang}/admin/users/{coordinator.id}/regions"))
    scan(page)
    page.get_by_label("Laval (13)", exact=True).check()
    page.get_by_label("Laurentides (15)", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name=WORDS[lang]["save"]).or_(
        page.get_by_role("button", name=WORDS["en"]["save"])
    ).click()
    expect(page.locator("main")).to_contain_text("Laval (13), Laurentides (15)")
    expect(page.get_by_label("Laval (13)", exact=True)).to_be_checked()
    expect(page.get_by_label("Montérégie (16)", exact=True)).not_to_be_checked()
    scan(page)
