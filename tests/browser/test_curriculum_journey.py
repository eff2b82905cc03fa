"""A teacher finds a module, reads it in both languages and downloads its PDF."""

import pytest
from playwright.sync_api import expect

from app import pdfbuild
from tests.browser.a11y import goto, scan
from tests.browser.test_journeys import by_label, url

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_app, curriculum_dir, tmp_path):
    return make_app(CURRICULUM_PATH=str(curriculum_dir), PDF_CACHE_DIR=str(tmp_path / "pdfs"))


@pytest.fixture
def built(app, live_server):
    """The module's English handout, built ahead as `flask curriculum build` does."""
    (target,) = [t for t in pdfbuild.targets(app) if t.path == "/en/modules/recruiters.pdf"]
    pdfbuild.build_one(app, target)


def test_teacher_finds_a_module_by_grade_and_downloads_its_pdf(page, live_server, built):
    goto(page, "/fr/")
    page.locator("nav.site-nav a").first.click()
    expect(page).to_have_url(url(live_server, "/fr/modules/"))
    scan(page)

    by_label(page, "filter-grade").select_option("sec2")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(url(live_server, "/fr/modules/"))
    assert "grade=sec2" in page.url
    scan(page)
    cards = page.locator(".module-card")
    expect(cards).to_have_count(1)  # only "recruiters" is for Secondary 2

    cards.first.get_by_role("link").click()
    expect(page).to_have_url(url(live_server, "/fr/modules/recruiters/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Module d’essai 1")
    scan(page)

    page.locator("nav.lang-switch").get_by_role("link", name="English").click()
    expect(page).to_have_url(url(live_server, "/en/modules/recruiters/"))
    expect(page.locator("h1")).to_have_text("Test module 1")
    scan(page)

    with page.expect_download() as download_info:
        page.locator('a[href="/en/modules/recruiters.pdf"]').click()
    download = download_info.value
    assert download.suggested_filename == "mobilis-recruiters-en-v1.0.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
