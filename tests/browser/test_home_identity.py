"""The home page in a browser, on a phone and on a computer, both languages:
the mark names the site to a screen reader and is drawn; the students' part
(the question box, then the help numbers) comes first on a phone and the
school staff's entry after them; on a computer the staff's entry stands beside
the students' part, set apart by its own colour. Nothing is fetched from
another host. Every page checked with axe."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import goto

pytestmark = [pytest.mark.browser, pytest.mark.one_database("sqlite")]

ASK = {"fr": "Pose ta question", "en": "Ask a question"}
STAFF = {"fr": "Le programme dans votre école", "en": "The program in your school"}


def _box(page, selector):
    return page.locator(selector).bounding_box()


def _requests(page):
    """Every URL the page asks for from now on."""
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    return seen


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_on_a_phone_the_students_come_first(page, live_server, lang):
    phone = page
    phone.set_viewport_size({"width": 390, "height": 844})
    requests = _requests(phone)
    goto(phone, f"/{lang}/")
    home = phone.get_by_role("link", name="MOBILIS Prévention", exact=True)
    expect(home).to_be_visible()
    assert phone.evaluate("document.querySelector('.brand-mark').naturalWidth") > 0
    students, helps, staff = (
        _box(phone, s) for s in (".home-students", ".home-help", ".home-staff")
    )
    assert students["y"] < helps["y"] < staff["y"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    ask = phone.get_by_role("link", name=ASK[lang], exact=True)
    assert _box(phone, ".home-students a.button-ask")["y"] + 48 <= 844
    expect(ask).to_be_in_viewport()
    staff_heading = phone.get_by_role("heading", name=STAFF[lang])
    expect(staff_heading).to_be_visible()
    assert all(url.startswith(live_server) for url in requests), requests


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_on_a_computer_the_staff_entry_is_beside_and_set_apart(page, live_server, lang):
    page.set_viewport_size({"width": 1280, "height": 800})
    requests = _requests(page)
    goto(page, f"/{lang}/")
    students, staff = _box(page, ".home-students"), _box(page, ".home-staff")
    assert staff["x"] >= students["x"] + students["width"], "beside, to the right"
    assert abs(staff["y"] - students["y"]) < 5, "at the same height"
    colours = page.evaluate(
        "['.home-students', '.home-staff'].map(s => getComputedStyle(document.querySelector(s))"
        ".backgroundColor)"
    )
    assert colours[0] != colours[1]
    # The name mark in the header, the only image there, with its name.
    expect(page.locator("header.site-header img")).to_have_count(1)
    expect(page.locator("header.site-header img")).to_have_attribute("alt", "MOBILIS Prévention")
    assert all(url.startswith(live_server) for url in requests), requests
