"""The modules' PDFs: content, metadata, cache, invalidation and revalidation."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.conftest import ClosingClient

pytestmark = pytest.mark.one_database("sqlite")


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture
def client(app):
    """A test client whose responses are read and closed (PDFs are streamed files)."""
    return ClosingClient(app.test_client())


def _text(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(
    ("lang", "title", "page_word", "name"),
    [
        ("fr", "Module d’essai 1", "page 2 sur 3", "mobilis-recruiters-fr-v1.0.pdf"),
        ("en", "Test module 1", "page 2 of 3", "mobilis-recruiters-en-v1.0.pdf"),
    ],
)
def test_lesson_pdf(client, lang, title, page_word, name):
    response = client.get(f"/{lang}/modules/recruiters.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f"filename={name}" in response.headers["Content-Disposition"]
    reader, text = _text(response.data)
    assert reader.metadata.title == title
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert "/StructTreeRoot" in reader.trailer["/Root"], "tagged PDF"
    assert title in text and "Tel-jeunes" in text and page_word in text
    assert "MOBILIS Prévention" in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Only the project's own @font-face fonts are embedded, never a system font.
    assert fonts and all("MOBILIS-Sans" in f for f in fonts), fonts


def test_guide_pdf_and_pack(client):
    response = client.get("/en/modules/recruiters/guide.pdf")
    assert (
        "filename=mobilis-recruiters-guide-en-v1.0.pdf" in response.headers["Content-Disposition"]
    )
    _reader, text = _text(response.data)
    assert "Teacher guide 1" in text and "Secret notes" not in text
    response = client.get("/fr/modules/pack.pdf")
    assert response.status_code == 200
    _reader, text = _text(response.data)
    for expected in (
        "Module d’essai 1",
        "Module d’essai 2",
        "Guide pour le personnel enseignant 2",
    ):
        assert expected in text
    assert "Notes secrètes" not in text


def test_second_download_comes_from_the_cache(client, tmp_path):
    first = client.get("/fr/modules/recruiters.pdf")
    cached = list((tmp_path / "pdf-cache").glob("*.pdf"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    second = client.get("/fr/modules/recruiters.pdf")
    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]
    assert cached[0].stat().st_mtime_ns == stamp, "not rendered again"
    assert not list((tmp_path / "pdf-cache").glob(".render-*")), "no temporary file left"


def test_revalidation_answers_304(client):
    first = client.get("/en/modules/recruiters.pdf")
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    response = client.get("/en/modules/recruiters.pdf", headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""
    response = client.get(
        "/en/modules/recruiters.pdf",
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert response.status_code == 304


def test_editing_a_module_invalidates_its_pdfs_only(client, curriculum_dir):
    lesson = client.get("/en/modules/recruiters.pdf")
    other = client.get("/en/modules/online.pdf")
    path = curriculum_dir / "recruiters" / "en.md"
    path.write_text(path.read_text().replace("Test module 1", "Edited module"))
    edited = client.get(
        "/en/modules/recruiters.pdf", headers={"If-None-Match": lesson.headers["ETag"]}
    )
    assert edited.status_code == 200
    assert edited.headers["ETag"] != lesson.headers["ETag"]
    assert "Edited module" in _text(edited.data)[1]
    again = client.get("/en/modules/online.pdf", headers={"If-None-Match": other.headers["ETag"]})
    assert again.status_code == 304
    # The guide is part of the module too: its PDF changes with it.
    guide = curriculum_dir / "recruiters" / "guide.en.md"
    guide.write_text(guide.read_text() + "\nOne more line.\n")
    final = client.get(
        "/en/modules/recruiters.pdf", headers={"If-None-Match": edited.headers["ETag"]}
    )
    assert final.status_code == 200


def test_the_fetcher_refuses_files_and_outside_urls(tmp_path):
    from weasyprint.urls import URLFetchingError  # noqa: F401  (documents what is raised)

    from app.pdf import BASE_URL, ProjectFilesFetcher

    (tmp_path / "ok.css").write_text("h1 {}")
    fetcher = ProjectFilesFetcher({"/static/": tmp_path})
    assert fetcher.fetch(BASE_URL + "static/ok.css").read() == b"h1 {}"
    for url in (
        "file:///etc/passwd",
        "https://example.com/static/ok.css",
        BASE_URL + "static/../../etc/passwd",
        BASE_URL + "other/ok.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_help_box_links_to_the_question_page(curriculum_app):
    client = ClosingClient(curriculum_app.test_client())
    page = client.get("/fr/modules/recruiters/").get_data(as_text=True)
    assert 'href="/fr/help/"' in page
    pdf = client.get("/en/modules/recruiters.pdf")
    reader, text = _text(pdf.data)
    assert "Ask our youth workers a question, anonymously" in text
    assert "http://localhost/en/help/" in text
    # The QR code is an SVG, drawn as vector paths on the help page.
    help_page = reader.pages[-1].get_contents().get_data().decode("latin-1")
    assert len(re.findall(r" l\n", help_page)) > 50, "the QR code is drawn"
