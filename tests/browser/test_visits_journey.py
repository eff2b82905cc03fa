"""A prevention worker plans a visit, lets the planner fill it and records a delivery."""

import pytest
from playwright.sync_api import expect

from app.security import Role
from tests.browser.a11y import goto, scan
from tests.browser.test_journeys import by_label
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_worker_plans_a_visit_and_records_a_delivery(
    page, live_server, db, create_user, create_school, create_group, school_year, lang
):
    worker = create_user(Role.PREVENTION_WORKER, name="Samuel Tremblay")
    school = create_school(name="École des Rives")
    create_group(school, "201", "sec2")
    create_group(school, "301", "sec3")

    goto(page, f"/{lang}/login")
    by_label(page, "email").fill(worker.email)
    by_label(page, "password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    scan(page)

    goto(page, f"/{lang}/visits/new")
    by_label(page, "school_id").select_option(label="École des Rives")
    by_label(page, "starts_on").fill("2026-10-06")
    page.get_by_label("Samuel Tremblay").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("École des Rives")
    scan(page)

    page.locator('a[href$="/plan"]').click()
    scan(page)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("3")
    scan(page)
    page.locator("main a.button").click()
    expect(page.locator(".session")).to_have_count(3)
    expect(page.locator(".session-conflict")).to_have_count(0)
    scan(page)

    page.locator('a[href$="/deliver"]').first.click()
    scan(page)
    by_label(page, "attendance").fill("27")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".session-delivered")).to_have_count(1)
    scan(page)
