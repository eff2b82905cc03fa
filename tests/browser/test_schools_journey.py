"""A prevention worker sets up a school and its class groups, in each language."""

import pytest
from playwright.sync_api import expect

from app.security import Role
from tests.browser.a11y import goto, scan
from tests.browser.test_journeys import by_label, url
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_worker_creates_a_school_and_imports_its_groups(
    page, live_server, create_user, school_year, tmp_path, lang
):
    worker = create_user(Role.PREVENTION_WORKER)
    goto(page, f"/{lang}/login")
    by_label(page, "email").fill(worker.email)
    by_label(page, "password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    scan(page)

    # No service centre yet: the new-school page sends the worker to create one.
    page.locator("nav.staff-nav").get_by_role(
        "link", name={"fr": "Écoles", "en": "Schools"}[lang]
    ).click()
    expect(page).to_have_url(url(live_server, f"/{lang}/schools/"))
    scan(page)
    page.locator(f'a[href="/{lang}/schools/new"]').click()
    expect(page).to_have_url(url(live_server, f"/{lang}/schools/centres/new"))
    scan(page)
    by_label(page, "name").fill("Centre de services scolaire Marie-Victorin")
    by_label(page, "region_code").select_option("16")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url(live_server, f"/{lang}/schools/centres/"))
    scan(page)

    goto(page, f"/{lang}/schools/new")
    by_label(page, "name").fill("École secondaire des Rives")
    by_label(page, "city").fill("Longueuil")
    # The region is left as proposed: the service centre's (Montérégie).
    by_label(page, "bell_schedule").fill("08:15-09:30 09:40-10:55 11:05-12:20")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("École secondaire des Rives")
    expect(page.locator("ol.periods li")).to_have_count(3)
    scan(page)

    csv = tmp_path / "groupes.csv"
    csv.write_text(
        "grade;name;teacher_name;size\nsec2;201;Mme Roy;28\n3;301;;25\n", encoding="utf-8"
    )
    page.locator('a[href$="/groups/import"]').click()
    scan(page)
    by_label(page, "file").set_input_files(str(csv))
    page.locator("main form button[type=submit]").click()
    scan(page)
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Mme Roy")
