"""A prevention worker on a phone (390 px wide) between two classes: previews
the planner's proposal for a visit that spring break cuts in two, reads why
the sessions moved, applies it; then makes the school's link and copies it
with the Copy button. In each language, every page checked with axe."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from app.schools import services as schools
from app.schools.models import DayOff, DayOffKind
from app.security import Role
from app.visits import services as visits
from tests.browser.a11y import goto, scan
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
BREAK = "Semaine de relâche"
WORDS = {
    "fr": {"share": "Créer le lien de l’école"},
    "en": {"share": "Make the school's link"},
}


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture
def visit(db, create_centre, create_school, create_group, create_user, school_year, monkeypatch):
    """A visit from Monday 22 February 2027 at a school whose centre has spring
    break from 1 to 5 March: its second week moves to the week of 8 March."""
    monkeypatch.setattr(schools, "local_today", lambda: date(2027, 2, 1))
    centre = create_centre("Centre de services scolaire Marie-Victorin")
    school = create_school(
        name="École secondaire des Rives",
        centre=centre,
        periods=((8, 15, 9, 30), (9, 40, 10, 55), (11, 5, 12, 20), (13, 20, 14, 35)),
    )
    create_group(school, "201", "sec2")
    create_group(school, "301", "sec3")
    db.add(
        DayOff(
            school_year_id=school_year.id,
            starts_on=date(2027, 3, 1),
            ends_on=date(2027, 3, 5),
            kind=DayOffKind.BREAK,
            reason=BREAK,
            service_centre_id=centre.id,
        )
    )
    db.commit()
    worker = create_user(Role.PREVENTION_WORKER, name="Samuel Tremblay")
    found = visits.create_visit(db, school=school, starts_on=date(2027, 2, 22), workers=[worker])
    db.commit()
    return found, worker


def _sign_in(page, worker, lang):
    goto(page, f"/{lang}/login")
    page.locator("#email").fill(worker.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    scan(page)


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_planner_preview_on_a_phone(page, visit, lang):
    found, worker = visit
    page.set_viewport_size(PHONE)
    _sign_in(page, worker, lang)
    goto(page, f"/{lang}/visits/{found.id}/")
    page.locator(f'a[href="/{lang}/visits/{found.id}/plan"]').click()
    scan(page)
    _fits_the_phone(page)

    sessions = page.locator(".plan-preview > li")
    expect(sessions).to_have_count(3)
    moved = page.locator(".plan-moved .plan-why")
    assert moved.count() >= 1, "the sessions of the week of 8 March replace spring break"
    # « 2 mars : Semaine de relâche, séance déplacée au 9 mars », "March 2: …, moved to March 9"
    shape = {
        "fr": r"[1-5]\s+mars\s?: .+ (8|9|1[0-2])\s+mars",
        "en": r"March [1-5]: .+ March (8|9|1[0-2])",
    }[lang]
    for why in moved.all_inner_texts():
        assert re.fullmatch(shape, why.strip()) and BREAK in why, why
    expect(moved.first).to_be_visible()
    assert page.locator(".session").count() == 0, "a preview, not the visit"

    page.locator("main form button[type=submit]").click()
    scan(page)
    expect(page.locator(".flash")).to_contain_text("3")
    expect(page.locator(".session:visible")).to_have_count(3)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_copy_button_copies_the_school_link(page, live_server, visit, browser, lang):
    found, worker = visit
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.set_viewport_size(PHONE)
    _sign_in(page, worker, lang)
    goto(page, f"/{lang}/visits/{found.id}/")
    page.get_by_role("button", name=WORDS[lang]["share"]).click()
    scan(page)
    _fits_the_phone(page)

    link = page.locator("#share-link")
    expect(link).to_be_in_viewport()  # at the top of the visit page
    expect(link).to_have_attribute("readonly", "")
    value = link.input_value()
    assert value.startswith(f"{live_server}/{lang}/s/")
    copy = page.locator('button[data-copy="share-link"]')
    expect(copy).to_be_visible()  # shown by js/copy.js
    copy.click()
    expect(page.locator("#share-link-status")).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == value

    # The school's staff open what was copied.
    school = browser.new_context(base_url=live_server, locale="fr-CA")
    try:
        shared = school.new_page()
        assert shared.goto(value).ok
        expect(shared.locator("h1")).to_contain_text("École secondaire des Rives")
    finally:
        school.close()
