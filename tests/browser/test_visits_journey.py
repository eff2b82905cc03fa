"""A prevention worker, new to the site, runs a school visit from start to end:
creates the school, imports its class groups, plans the visit with the planner,
adjusts a session, shares the link with the school, subscribes to the feed and
records the deliveries. In each language, every page checked with axe."""

from datetime import date

import icalendar
import pytest
from playwright.sync_api import expect

from app.schools import services as schools
from app.security import Role
from tests.browser.a11y import goto, scan
from tests.browser.test_journeys import by_label, url
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WORDS = {
    "fr": {
        "schools": "Écoles",
        "visits": "Visites",
        "agenda": "Mon agenda",
        "new_visit": "Planifier une visite",
        "change": "Modifier",
        "deliver": "Consigner la séance",
        "share": "Créer le lien de l’école",
        "feed": "Créer l’adresse de mon calendrier",
    },
    "en": {
        "schools": "Schools",
        "visits": "Visits",
        "agenda": "My agenda",
        "new_visit": "Plan a visit",
        "change": "Change",
        "deliver": "Record delivery",
        "share": "Make the school's link",
        "feed": "Make my calendar address",
    },
}


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_worker_runs_a_school_visit(
    page,
    second_page,
    live_server,
    create_user,
    create_centre,
    school_year,
    tmp_path,
    monkeypatch,
    lang,
):
    words = WORDS[lang]
    create_centre("Centre de services scolaire Marie-Victorin")
    worker = create_user(Role.PREVENTION_WORKER, name="Samuel Tremblay")
    goto(page, f"/{lang}/login")
    by_label(page, "email").fill(worker.email)
    by_label(page, "password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    scan(page)

    # The school, its bell schedule, then its class groups from a CSV file.
    staff_nav = page.locator("nav.staff-nav")
    staff_nav.get_by_role("link", name=words["schools"]).click()
    scan(page)
    page.locator(f'a[href="/{lang}/schools/new"]').click()
    scan(page)
    by_label(page, "name").fill("École secondaire des Rives")
    by_label(page, "city").fill("Longueuil")
    by_label(page, "bell_schedule").fill("08:15-09:30 09:40-10:55 11:05-12:20 13:20-14:35")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("École secondaire des Rives")
    scan(page)
    csv = tmp_path / "groupes.csv"
    csv.write_text("grade;name;teacher_name;size\nsec2;201;Mme Roy;28\nsec3;301;;25\n")
    page.locator('a[href$="/groups/import"]').click()
    scan(page)
    by_label(page, "file").set_input_files(str(csv))
    page.locator("main form button[type=submit]").click()
    scan(page)
    expect(page.locator("table tbody tr")).to_have_count(2)

    # The visit, filled by the planner.
    staff_nav.get_by_role("link", name=words["visits"]).click()
    scan(page)
    page.get_by_role("link", name=words["new_visit"]).click()
    scan(page)
    by_label(page, "school_id").select_option(label="École secondaire des Rives")
    by_label(page, "starts_on").fill("2027-02-08")
    page.get_by_label("Samuel Tremblay").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("École secondaire des Rives")
    scan(page)
    visit_url = page.url
    page.locator('a[href$="/plan"]').click()
    scan(page)
    expect(page.locator(".plan-preview > li")).to_have_count(3)  # a preview first
    page.locator("main form button[type=submit]").click()
    scan(page)
    expect(page.locator(".flash")).to_contain_text("3")
    # (a phone sees the same sessions in a list of days: the table is what shows here)
    expect(page.locator(".session:visible")).to_have_count(3)
    expect(page.locator(".session-conflict")).to_have_count(0)

    # One session moves to another room, and a later period.
    page.locator(".session:visible").first.get_by_role("link", name=words["change"]).click()
    scan(page)
    by_label(page, "room").fill("B-204")
    by_label(page, "first_period").select_option("4")
    page.locator("main form button[type=submit]").click()
    scan(page)
    expect(page).to_have_url(url(live_server, visit_url.removeprefix(live_server)))
    expect(page.locator(".session:visible", has_text="B-204")).to_have_count(1)
    expect(page.locator(".session-conflict")).to_have_count(0)

    # The link for the school: its staff see the schedule without signing in.
    page.get_by_role("button", name=words["share"]).click()
    scan(page)
    share_link = page.locator("#share-link")
    expect(share_link).to_be_visible()
    shared = share_link.input_value()
    goto(second_page, shared)  # the school's staff, never signed in
    expect(second_page.locator("h1")).to_contain_text("École secondaire des Rives")
    expect(second_page.locator("main table tbody tr")).to_have_count(3)
    expect(second_page.get_by_text("Samuel Tremblay")).to_have_count(0)

    # The worker subscribes to their own feed from the agenda.
    staff_nav.get_by_role("link", name=words["agenda"]).click()
    scan(page)
    expect(page.locator("main table tbody tr")).to_have_count(3)
    page.get_by_role("button", name=words["feed"]).click()
    scan(page)
    feed = page.locator("#feed-https").input_value()
    assert page.locator('a[href^="webcal://"]').count() == 1
    response = page.request.get(feed)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")
    assert len(events) == 3
    assert [str(e["location"]) for e in events if "B-204" in str(e["location"])]

    # The deliveries, session by session, once the two weeks are over.
    monkeypatch.setattr(schools, "local_today", lambda: date(2027, 2, 22))
    goto(page, visit_url.removeprefix(live_server))
    for count in range(1, 4):
        page.get_by_role("link", name=words["deliver"]).first.click()
        scan(page)
        by_label(page, "attendance").fill(str(20 + count))  # group 301 has 25
        page.locator("main form button[type=submit]").click()
        scan(page)
        expect(page.locator(".session-delivered:visible")).to_have_count(count)
