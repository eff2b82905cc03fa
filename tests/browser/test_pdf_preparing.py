"""A teacher asks for a handout while the site is still building it: the
page says so, in the teacher's language, and the download starts by itself
once the file is ready (app/pdfserve.py, static/js/preparing.js), with the
status line saying so."""

import pytest
from playwright.sync_api import expect

from app import pdfbuild
from tests.browser.a11y import expect_console_error, goto, scan

pytestmark = [pytest.mark.browser, pytest.mark.one_database("sqlite")]


@pytest.fixture
def app(make_app, curriculum_dir, tmp_path):
    return make_app(CURRICULUM_PATH=str(curriculum_dir), PDF_CACHE_DIR=str(tmp_path / "pdfs"))


WORDS = {
    "fr": {
        "heading": "Ce fichier est en préparation",
        "back": "Retour à la page",
        "waiting": "Cette page vérifie régulièrement",
        "ready": "Le fichier est prêt\u00a0: il s’ouvre ou se télécharge maintenant.",
    },
    "en": {
        "heading": "This file is being prepared",
        "back": "Back to the page",
        "waiting": "This page checks every few seconds",
        "ready": "The file is ready: it opens or downloads now.",
    },
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_handout_comes_by_itself_once_built(page, app, tmp_path, lang):
    words = WORDS[lang]
    page.set_viewport_size({"width": 390, "height": 844})
    goto(page, f"/{lang}/modules/recruiters/")
    link = page.locator(f'a[href="/{lang}/modules/recruiters.pdf"]').first
    # The "being prepared" answer is a 503, which Chromium logs as an error.
    expect_console_error(page, "the server responded with a status of 503")
    with pdfbuild.build_lock(tmp_path / "pdfs"):  # a build under way elsewhere
        link.click()
        expect(page.locator("h1")).to_have_text(words["heading"])
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.get_by_role("status")).to_contain_text(words["waiting"])
        scan(page)
        # The way back to the module, and a way to ask again at once.
        expect(page.get_by_role("link", name=words["back"])).to_have_attribute(
            "href", f"/{lang}/modules/recruiters/"
        )
    # The lock is released: the builder draws the file, the page's next
    # check finds it and the download starts, without a reload.
    with page.expect_download(timeout=60_000) as started:
        pass
    download = started.value
    assert download.suggested_filename == f"mobilis-recruiters-{lang}-v1.0.pdf"
    assert download.path().read_bytes().startswith(b"%PDF-")
    expect(page.get_by_role("status")).to_have_text(words["ready"])
    expect(page.locator("h1")).to_have_text(words["heading"])
